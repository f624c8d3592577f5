"""Move photos and portraits stored before articles/media.py (under MEDIA_ROOT, at the names
they were uploaded with) into the protected photo storage, under unguessable names."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import renditions
from articles.media import photo_storage
from articles.models import Photo
from people.models import Person


class Command(BaseCommand):
    help = (
        "Move photo originals and portraits from MEDIA_ROOT into PHOTO_MEDIA_ROOT under "
        "unguessable names; photos' old renditions are deleted and new ones made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would move.")

    def handle(self, *args, dry_run=False, **options):
        storage = photo_storage()
        moved = 0
        for photo in Photo.objects.order_by("pk").iterator():
            old = photo.image.name
            if not old or storage.exists(old) or not default_storage.exists(old):
                continue  # already protected, or nothing to move
            moved += 1
            self.stdout.write(f"{photo.pk}: {old}")
            if dry_run:
                continue
            with default_storage.open(old, "rb") as content:
                new = storage.save(storage.generate_filename(old), content)
            with transaction.atomic():
                Photo.objects.filter(pk=photo.pk).update(image=new)
            default_storage.delete(old)
            # New renditions beside the original, under names the photo storage serves.
            moved_photo = Photo.objects.get(pk=photo.pk)
            stale, moved_photo.renditions = moved_photo.renditions, renditions.make(moved_photo)
            moved_photo.save(update_fields=["renditions"])
            renditions.delete_files(stale, default_storage)
        for person in Person.objects.exclude(photo="").order_by("pk").iterator():
            old = person.photo.name
            if storage.exists(old) or not default_storage.exists(old):
                continue
            moved += 1
            self.stdout.write(f"person {person.pk}: {old}")
            if dry_run:
                continue
            with default_storage.open(old, "rb") as content:
                new = storage.save(storage.generate_filename(old), content)
            with transaction.atomic():
                Person.objects.filter(pk=person.pk).update(photo=new)
            default_storage.delete(old)
        self.stdout.write(
            self.style.SUCCESS(f"{moved} photo(s) {'to move' if dry_run else 'moved'}.")
        )
