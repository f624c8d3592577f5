"""Writing through the API: drafts created and edited by an integration, as its user.

The same rules as the admin: the user must be allowed to add stories, may change one only
while `workflow.can_edit()` says so, and moves it only through `workflow.perform()`; the body
is sanitised by the model's save with the editor's allow-list (articles/richtext.py); text is
cleaned as every form's is (newsroom/text.py). Bylines name a person by id, or by name as the
print import does: a known name is that person, an unknown one a new outside contributor
for an editor to confirm. All of a request is saved in one transaction, or nothing.
"""

from __future__ import annotations

import reversion
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from articles.models import Article, ArticleByline, Section
from newsroom import workflow
from newsroom.review import chains
from newsroom.text import clean_text
from people.models import Person, Role

ONE_LINE = ("kicker", "headline", "subheadline", "dateline")


class BylineInSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, min_value=1, help_text=gettext_lazy("A person's id in the API.")
    )
    name = serializers.CharField(
        required=False,
        max_length=Person._meta.get_field("display_name").max_length,
        help_text=gettext_lazy("A printed name: the known person, or a new contributor."),
    )
    role = serializers.ChoiceField(choices=Role.choices, default=Role.REPORTER)
    is_text_and_photo = serializers.BooleanField(default=False)

    def validate_name(self, value):
        return clean_text(value, multiline=False).strip()

    def validate(self, data):
        if ("person" in data) == bool(data.get("name")):
            raise serializers.ValidationError(_("Give either a person's id or a name, not both."))
        return data


class ArticleWriteSerializer(serializers.Serializer):
    """A draft's fields. On update, only the fields sent change (PATCH)."""

    kicker = serializers.CharField(required=False, allow_blank=True, max_length=200)
    headline = serializers.CharField(max_length=200)
    subheadline = serializers.CharField(required=False, allow_blank=True, max_length=200)
    dateline = serializers.CharField(required=False, allow_blank=True, max_length=60)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200_000,
        help_text=gettext_lazy("HTML; what the editor could not make is removed."),
    )
    section = serializers.SlugRelatedField(
        slug_field="slug", queryset=Section.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    bylines = BylineInSerializer(many=True, required=False, max_length=50)
    edit_version = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text=gettext_lazy(
            "The version you last read: refused with 409 if the story changed since."
        ),
    )

    def validate(self, data):
        for name in ONE_LINE:
            if name in data:
                data[name] = clean_text(data[name], multiline=False).strip()
        for name in ("summary", "body"):
            if name in data:
                data[name] = clean_text(data[name], multiline=True)
        if "headline" in data and not data["headline"]:
            raise serializers.ValidationError({"headline": _("A story needs a headline.")})
        if "tags" in data:
            data["tags"] = [
                t for t in (clean_text(t, multiline=False).strip() for t in data["tags"]) if t
            ]
        if "bylines" in data:
            ids = {b["person"] for b in data["bylines"] if "person" in b}
            known = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if ids - known:
                raise serializers.ValidationError(
                    {
                        "bylines": _("No person has the id %(ids)s.")
                        % {"ids": ", ".join(map(str, sorted(ids - known)))}
                    }
                )
        return data


class EditConflict(Exception):
    pass


def _people_by_name(names: set[str]) -> dict[str, Person]:
    # The print import's rule: a shared printed name is the confirmed person, then the oldest.
    people: dict[str, Person] = {}
    for person in Person.objects.filter(display_name__in=names).order_by("-is_confirmed", "pk"):
        people.setdefault(person.display_name, person)
    return people


def _set_bylines(article: Article, bylines: list[dict]) -> None:
    named = _people_by_name({b["name"] for b in bylines if b.get("name")})
    article.bylines.all().delete()
    credited, made = set(), []
    for entry in bylines:
        if "person" in entry:
            person_id = entry["person"]
        else:
            person = named.get(entry["name"])
            if person is None:
                person = named[entry["name"]] = Person.objects.create(
                    display_name=entry["name"], kind=Person.Kind.CONTRIBUTOR, is_confirmed=False
                )
            person_id = person.pk
        if (person_id, entry["role"]) in credited:  # one credit per person and role
            continue
        credited.add((person_id, entry["role"]))
        made.append(
            ArticleByline(
                article=article,
                person_id=person_id,
                role=entry["role"],
                is_text_and_photo=entry.get("is_text_and_photo", False),
                order=len(made),
            )
        )
    ArticleByline.objects.bulk_create(made)


def _save(article: Article, data: dict, user, comment: str) -> Article:
    with reversion.create_revision():
        for name in (*ONE_LINE, "summary", "body", "section"):
            if name in data:
                setattr(article, name, data[name])
        article.save()
        if "bylines" in data:
            _set_bylines(article, data["bylines"])
        elif comment == "create" and getattr(user, "person", None) is not None:
            # As in the admin: a reporter's new story carries their byline.
            ArticleByline.objects.create(article=article, person=user.person, role=Role.REPORTER)
        if "tags" in data:
            article.tags.set(data["tags"], clear=True)
        if reversion.is_registered(Article):
            reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(_("Saved through the API."))
    return article


def create_draft(data: dict, user) -> Article:
    with transaction.atomic():
        return _save(Article(created_by=user), data, user, "create")


def _content(article: Article) -> tuple:
    """What an edit may change, to tell whether one did (the admin's form.has_changed())."""
    return (
        tuple(getattr(article, name) for name in (*ONE_LINE, "summary", "body", "section_id")),
        tuple(
            article.bylines.order_by("order").values_list("person_id", "role", "is_text_and_photo")
        ),
        tuple(sorted(article.tags.values_list("name", flat=True))),
    )


def update_draft(article: Article, data: dict, user) -> Article:
    """Change an item the user may edit now (checked again under the row lock).

    As the admin's save does, an edit that changed something is told to the review chain
    (`chains.content_edited`): sign-offs of the round are marked edited after, and where a
    signed stage asks re-approval the item goes back to it (`reapproved_at` is then set on
    the returned article to that stage)."""
    with transaction.atomic():
        locked = Article._base_manager.select_for_update().get(pk=article.pk)
        if not workflow.can_edit(locked, user):
            raise workflow.TransitionNotAllowed(
                _("You cannot change this story while it is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        seen = data.get("edit_version")
        if seen is not None and seen != locked.edit_version:
            raise EditConflict(
                _("The story changed after version %(seen)d (it is at %(now)d). Read it again.")
                % {"seen": seen, "now": locked.edit_version}
            )
        before = _content(locked)
        locked.edit_version += 1
        _save(locked, data, user, "update")
        locked.reapproved_at = None
        if _content(locked) != before:
            locked.reapproved_at = chains.content_edited(locked, user)
        return locked
