"""The forms of the admin's print import: the page as uploaded or pasted, and the signed
confirmation that carries exactly what the preview showed."""

from __future__ import annotations

import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Section
from articles.printimport.importer import (
    MAX_PAGE_BYTES,
    importable_sections,
    may_import_onto,
    read_page,
)
from articles.printimport.parser import (
    Byline,
    Credit,
    PageError,
    Story,
    parse_page,
    story_from_dict,
)
from people.models import Person, Role

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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Given a user (the admin's page), the sections offered are those of their desks.
        self.user = user
        if user is not None:
            self.fields["section"].queryset = importable_sections(user)

    def clean_section(self):
        section = self.cleaned_data.get("section")
        if self.user is not None and not may_import_onto(self.user, section):
            raise ValidationError(
                _("You may import only into a section of your own desk. Please choose one."),
                code="desk",
            )
        return section

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


def _salt(user) -> str:
    # Per editor: a preview made by one cannot be confirmed by another.
    return f"{SIGNING_SALT}:{user.pk}"


def sign_payload(data: dict, user) -> str:
    return signing.dumps(data, salt=_salt(user), compress=True)


def preview_payload(
    stories: list[Story], unplaced: list[str], *, edition_date, page, section, user
) -> str:
    """What a preview shows, signed for its editor: the confirmation imports exactly this."""
    return sign_payload(
        {
            "stories": [story.as_dict(detailed=True) for story in stories],
            "unplaced": list(unplaced),
            "edition_date": edition_date.isoformat() if edition_date else None,
            "page": page,
            "section": section.pk if section else None,
        },
        user,
    )


# --- Correcting a story in the preview -------------------------------------------------

# In the body field, a line starting with this is a subhead, and this line alone starts a
# new story (its first line is the new story's headline).
SUBHEAD_PREFIX = "### "
SPLIT_LINE = "---"
CREDIT_ROLES = {"photo": gettext_lazy("photo credit"), "editor": gettext_lazy("sign-off")}


def _role_words(choices: dict) -> dict[str, str]:
    # An editor may type the role as the preview shows it, in either language, or its code.
    words = {}
    for value, label in choices.items():
        words[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                words[str(label).lower()] = value
    return words


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


class StoryForm(forms.Form):
    """One story of the preview, as the editor corrects it: headings, dateline, bylines
    and credits one a line (`记者 张三`), the body one paragraph a line."""

    kicker = forms.CharField(label=gettext_lazy("Kicker"), required=False)
    headline = forms.CharField(label=gettext_lazy("Headline"), required=False)
    subheadline = forms.CharField(label=gettext_lazy("Subheadline"), required=False)
    dateline = forms.CharField(label=gettext_lazy("Dateline"), required=False)
    bylines = forms.CharField(
        label=gettext_lazy("Bylines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
        help_text=gettext_lazy("One a line: the role, then the name, e.g. “记者 张三”."),
    )
    credits = forms.CharField(
        label=gettext_lazy("Credits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text=gettext_lazy(
            "Organisations credited, one a line: “photo credit 新华社” or “sign-off 编者”."
        ),
    )
    text_and_photo = forms.BooleanField(
        label=gettext_lazy("text and photos (文/图)"), required=False
    )
    body = forms.CharField(
        label=gettext_lazy("Paragraphs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=gettext_lazy(
            "One paragraph a line. Start a line with “### ” to make it a subhead. A line "
            "“---” on its own splits the story there: the line after it becomes the new "
            "story's headline."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = Article._meta
        for name in ("kicker", "headline", "subheadline", "dateline"):
            self.fields[name].validators.append(
                MaxLengthValidator(fields.get_field(name).max_length)
            )

    @staticmethod
    def initial_for(story: Story) -> dict:
        subheads = set(story.subheads)
        return {
            "kicker": story.kicker,
            "headline": story.headline,
            "subheadline": story.subheadline,
            "dateline": story.dateline,
            "bylines": "\n".join(f"{Role(b.role).label} {b.name}" for b in story.bylines),
            "credits": "\n".join(f"{CREDIT_ROLES[c.role]} {c.name}" for c in story.credits),
            "text_and_photo": story.text_and_photo,
            "body": "\n".join(
                SUBHEAD_PREFIX + p if number in subheads else p
                for number, p in enumerate(story.paragraphs)
            ),
        }

    def clean_bylines(self) -> list[Byline]:
        return [Byline(role, name) for role, name in self._credited("bylines", Role.choices)]

    def clean_credits(self) -> list[Credit]:
        return [Credit(role, name) for role, name in self._credited("credits", CREDIT_ROLES)]

    def _credited(self, field: str, choices) -> list[tuple[str, str]]:
        words = _role_words(dict(choices))
        name_length = Person._meta.get_field("display_name").max_length
        credited = []
        for line in _lines(self.cleaned_data[field]):
            word, _space, name = line.rpartition(" ")
            role = words.get(word.strip().lower())
            if role is None or not name:
                raise ValidationError(
                    _("“%(line)s”: write a role (%(roles)s), a space, then the name.")
                    % {
                        "line": line,
                        "roles": "、".join(str(label) for label in dict(choices).values()),
                    }
                )
            if len(name) > name_length:
                raise ValidationError(
                    _("“%(text)s…” is too long for a name in a byline.") % {"text": name[:20]}
                )
            credited.append((role, name))
        return credited

    def stories(self) -> list[Story]:
        """The corrected story, and a new one after each “---” line of the body."""
        data = self.cleaned_data
        story = Story(
            kicker=data["kicker"],
            headline=data["headline"],
            subheadline=data["subheadline"],
            dateline=data["dateline"],
            bylines=data["bylines"],
            credits=data["credits"],
            text_and_photo=data["text_and_photo"],
        )
        stories = [story]
        for line in _lines(data["body"]):
            if line == SPLIT_LINE:
                story = Story()
                stories.append(story)
            elif story is not stories[0] and not story.headline and not story.paragraphs:
                story.headline = line.removeprefix(SUBHEAD_PREFIX.strip()).strip()
            elif line.startswith(SUBHEAD_PREFIX.strip()):
                story.subheads.append(len(story.paragraphs))
                story.paragraphs.append(line.removeprefix(SUBHEAD_PREFIX.strip()).strip())
            else:
                story.paragraphs.append(line)
        return [s for s in stories if s is stories[0] or s.headline or s.paragraphs]


class PageEditForm:
    """All the stories of a preview as corrected by the editor (story-0-headline, …)."""

    def __init__(self, data, count: int) -> None:
        self.forms = [StoryForm(data, prefix=f"story-{number}") for number in range(count)]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])

    def stories(self) -> list[Story]:
        return [story for form in self.forms for story in form.stories()]


def apply_action(stories: list[Story], action: str) -> list[Story]:
    """The stories after one of the preview's buttons: merge a story with the next, or
    move a line between the headings and the body. An unknown action changes nothing."""
    name, _colon, number = action.partition(":")
    if not number.isdigit() or int(number) >= len(stories):
        return stories
    number = int(number)
    stories = list(stories)
    story = stories[number]
    if name == "merge" and number + 1 < len(stories):
        following = stories.pop(number + 1)
        # The next story's headings were most likely subheads of this one.
        headings = [h for h in (following.kicker, following.headline, following.subheadline) if h]
        offset = len(story.paragraphs)
        story.subheads += [offset + i for i in range(len(headings))]
        offset += len(headings)
        if following.dateline and following.paragraphs:
            following.paragraphs[0] = f"{following.dateline} {following.paragraphs[0]}"
        story.paragraphs += headings + following.paragraphs
        story.subheads += [offset + i for i in following.subheads]
        story.bylines += following.bylines
        story.credits += following.credits
        story.text_and_photo = story.text_and_photo or following.text_and_photo
    elif name == "subheadline-to-body" and story.subheadline:
        story.paragraphs.insert(0, story.subheadline)
        story.subheads = [0] + [i + 1 for i in story.subheads]
        story.subheadline = ""
    elif name == "paragraph-to-subheadline" and story.paragraphs and not story.subheadline:
        story.subheadline = story.paragraphs.pop(0)
        story.subheads = [i - 1 for i in story.subheads if i > 0]
    elif name == "headline-to-kicker" and story.headline and not story.kicker:
        story.kicker, story.headline = story.headline, story.subheadline
        story.subheadline = ""
    return stories


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
        if "stories" in data:
            stories = [story_from_dict(story) for story in data["stories"]]
            unplaced = list(data.get("unplaced", []))
        else:
            # A preview signed before previews could be corrected carried the page's text.
            parsed = parse_page(data["text"])
            stories, unplaced = parsed.stories, parsed.unplaced
        return {
            "stories": stories,
            "unplaced": unplaced,
            "edition_date": datetime.date.fromisoformat(data["edition_date"])
            if data.get("edition_date")
            else None,
            "page": data.get("page"),
            "section": section,
        }
