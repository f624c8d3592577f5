"""The 数字报's task: processing an uploaded PDF (articles/digital/processing.py)."""

from __future__ import annotations

from newsroom.tasks import retrying_task


@retrying_task(max_attempts=2)
def process_print_upload(upload_id: int) -> None:
    from articles.digital.processing import process_upload
    from articles.models import PrintUpload

    upload = PrintUpload.objects.filter(pk=upload_id).first()
    if upload is not None:
        process_upload(upload)
