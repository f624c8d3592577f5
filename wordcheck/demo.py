"""The demo newsroom's word lists: a few made-up entries of every category, and one story in
review that has a hit of each kind, so that a newcomer sees the check at once."""

from __future__ import annotations

from articles.models import Article
from wordcheck.models import Category, Entry, WordList

LIST_NAME = "演示词表（虚构，仅供试用）"
# Made up and harmless: nothing here is a real list of any authority.
ENTRIES = [
    (Category.BANNED, "某某禁用词", "", "演示用的禁用词：不得出现", ""),
    (Category.SENSITIVE, "神医", "", "演示用的敏感词：须值班主任签发", ""),
    (Category.EXCEPTION, "神医扁鹊", "", "传说人物，可以使用", ""),
    (Category.FIXED, "郑州市中原区人民政府", "", "首次出现须用全称", "中原区政府\n中原政府"),
    (Category.MISTAKE, "再接再励", "再接再厉", "“厉”同“砺”", ""),
    (Category.MISTAKE, "既使", "即使", "", ""),
    (Category.MISTAKE, "按装", "安装", "", ""),
    (Category.MISTAKE, "alot", "a lot", "house style", ""),
]
STORY_HEADLINE = "演示：一篇等待审核、用词有问题的稿件"
STORY_BODY = (
    "<p>本报讯 中原区政府昨日召开推进会，要求各单位再接再励。会上有人提到某某禁用词，"
    "也有人把“神 医”二字写得很散，还有人写成繁体的“神醫”。</p>"
    "<p>讲到古代的神医扁鹊时，大家都笑了。既使下雨，工人们也要按装好设备。</p>"
    "<p>An English line with alot of house-style trouble.</p>"
)


def load(editor, reporter, stdout=None) -> None:
    """Idempotent: running it twice changes nothing."""
    story = Article.objects.filter(headline=STORY_HEADLINE).first()
    if story is None:
        # Filed and submitted before the list existed, as happens when a word is listed late.
        story = Article.objects.create(
            headline=STORY_HEADLINE,
            kicker="词语检查演示",
            summary="这篇稿件演示敏感词、固定提法和错别字检查。",
            body=STORY_BODY,
            created_by=reporter,
        )
        story.submit_for_review(by=reporter)
    word_list, _created = WordList.objects.get_or_create(
        name=LIST_NAME, defaults={"description": "演示用的虚构词表。"}
    )
    for category, term, replacement, note, variants in ENTRIES:
        if not Entry.objects.filter(word_list=word_list, category=category, term=term).exists():
            Entry.objects.create(
                word_list=word_list,
                category=category,
                term=term,
                replacement=replacement,
                note=note,
                variants=variants,
            )
    # Checked with the list in place, so the change form and the queue show it at once.
    from wordcheck.checks import check_and_store

    hits = check_and_store(story)
    if stdout is not None:
        stdout.write(
            f"Word check: {word_list.entries.count()} demo entries; “{story}” has {len(hits)} hits."
        )
