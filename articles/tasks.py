"""Work on articles, galleries and photos that is too slow for a request (newsroom/tasks.py)."""

from __future__ import annotations

import logging

from django.db import transaction

from articles import renditions
from articles.models import Photo
from newsroom.tasks import retrying_task

logger = logging.getLogger(__name__)


@retrying_task
def make_photo_renditions(photo_id: int, image_name: str) -> int:
    """Make the renditions of a big photo (articles/renditions.py) and keep them on its row;
    returns how many sizes were made.

    Safe to run twice, or late: nothing is done for a photo that is gone, whose image was
    replaced meanwhile (the new image has a task of its own) or that has its renditions. The
    row is updated with update(), not save(): an editor who has the photo open is not told
    that someone else changed it.
    """
    photo = Photo.objects.filter(pk=photo_id, image=image_name).first()
    if photo is None or photo.renditions:
        return 0
    made = renditions.make(photo)
    if not made:
        logger.warning("Photo %s: no renditions could be made of %s", photo_id, image_name)
        return 0
    with transaction.atomic():
        updated = Photo.objects.filter(pk=photo_id, image=image_name, renditions=[]).update(
            renditions=made
        )
        if updated:
            from articles.signals import photo_saved

            photo.renditions = made
            photo_saved(Photo, photo)  # the pages that show it, on commit
    if not updated:  # replaced or made by another run meanwhile
        renditions.delete_files(made, photo.image.storage)
        return 0
    return len(made)
