"""The forms of the admin's print import: the page as uploaded or pasted, and the signed
confirmation that carries exactly what the preview showed."""

from __future__ import annotations

import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Section
from articles.printimport.importer import MAX_PAGE_BYTES, read_page
from articles.printimport.parser import PageError

# The value predates the package (articles/admin_import.py): kept, so that a preview
# signed before an upgrade can still be confirmed after it.
SIGNING_SALT = "articles.admin_import.print-page"
# A preview left open over lunch may still be confirmed; one from last week may not.
PREVIEW_MAX_AGE = 12 * 3600


def _too_big_message() -> str:
    return _("The file is too big: a print page is at most %(max)s MB.") % {
        "max": MAX_PAGE_BYTES // 1024 // 1024
    }


class PageForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Text file"),
        required=False,
        allow_empty_file=True,  # so that an empty file gets the same message as a blank one
        help_text=gettext_lazy(
            "The page as plain text, copied out of the layout program or the e-paper: "
            "UTF-8 or GB18030/GBK, at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
    )
    edition_date = forms.DateField(
        label=gettext_lazy("Print edition date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Tells stories with the same headline in different editions apart."),
    )
    page = forms.IntegerField(
        label=gettext_lazy("Page"), required=False, min_value=1, max_value=999
    )
    section = forms.ModelChoiceField(
        Section.objects.all(), label=gettext_lazy("Section"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise ValidationError(_("Upload a file or paste the text, not both."))
        if upload:
            field, data = "file", None
            if upload.size > MAX_PAGE_BYTES:
                # Checked before reading: the upload may sit in a temporary file.
                self.add_error("file", _too_big_message())
                return cleaned
            data = upload.read()
        elif text.strip():
            field, data = "text", text.encode("utf-8")
        else:
            if "file" not in self.errors:
                raise ValidationError(_("Choose the page's text file or paste its text."))
            return cleaned
        try:
            cleaned["page_text"] = read_page(data)
        except PageError as exc:
            self.add_error(field, str(exc))
        return cleaned

    def payload(self, user) -> str:
        data = self.cleaned_data
        return sign_payload(
            {
                "text": data["page_text"],
                "edition_date": data["edition_date"].isoformat() if data["edition_date"] else None,
                "page": data["page"],
                "section": data["section"].pk if data["section"] else None,
            },
            user,
        )


def _salt(user) -> str:
    # Per editor: a preview made by one cannot be confirmed by another.
    return f"{SIGNING_SALT}:{user.pk}"


def sign_payload(data: dict, user) -> str:
    return signing.dumps(data, salt=_salt(user), compress=True)


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_payload(self) -> dict:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=_salt(self.user), max_age=PREVIEW_MAX_AGE
            )
        except signing.SignatureExpired:
            raise ValidationError(
                _("The preview is too old to confirm. Please upload the page again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            raise ValidationError(
                _(
                    "The preview could not be verified: the page was changed after it was "
                    "previewed. Nothing was imported. Please upload the page again."
                ),
                code="tampered",
            ) from None
        section = None
        if data.get("section") is not None:
            section = Section.objects.filter(pk=data["section"]).first()
            if section is None:
                raise ValidationError(
                    _("The section was deleted after the preview. Please upload the page again."),
                    code="section",
                )
        return {
            "text": data["text"],
            "edition_date": datetime.date.fromisoformat(data["edition_date"])
            if data.get("edition_date")
            else None,
            "page": data.get("page"),
            "section": section,
        }
