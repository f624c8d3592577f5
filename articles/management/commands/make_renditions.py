"""Make the stored renditions of photos that have none (or of every photo, with --all)."""

from django.core.management.base import BaseCommand

from articles import renditions
from articles.models import Photo


class Command(BaseCommand):
    help = (
        "Make the WebP and JPEG renditions of photos that have none stored on their row "
        "(photos saved before renditions were kept there); --all makes every photo's again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="make every photo's renditions")

    def handle(self, *args, all=False, **options):
        photos = Photo.objects.exclude(image="").order_by("pk")
        if not all:
            photos = photos.filter(renditions=[])
        made = failed = 0
        for photo in photos.iterator(chunk_size=200):
            old, photo.renditions = photo.renditions, renditions.make(photo)
            Photo.objects.filter(pk=photo.pk).update(renditions=photo.renditions)
            if old and old != photo.renditions:
                renditions.delete_files(old, photo.image.storage)
            if photo.renditions:
                made += 1
            else:
                failed += 1
                self.stderr.write(f"photo {photo.pk}: its image {photo.image.name} cannot be read")
        self.stdout.write(f"renditions made for {made} photos; {failed} could not be read")
