import pytest

from wordcheck.models import Category, Entry, WordList


def add(term, category=Category.BANNED, word_list=None, **fields) -> Entry:
    """An entry on `word_list` (the test list by default)."""
    word_list = word_list or WordList.objects.get_or_create(name="测试词表")[0]
    return Entry.objects.create(word_list=word_list, category=category, term=term, **fields)


@pytest.fixture
def lists(db):
    """A small list with an entry of every category (made up, as the demo's)."""
    return {
        "banned": add("禁用词甲", Category.BANNED, note="测试用禁用词"),
        "sensitive": add("大师", Category.SENSITIVE),
        "exception": add("大师兄", Category.EXCEPTION),
        "mistake": add("再接再励", Category.MISTAKE, replacement="再接再厉"),
        "fixed": add("郑州市中原区人民政府", Category.FIXED, variants="中原区政府\n中原政府"),
        "english": add("alot", Category.MISTAKE, replacement="a lot"),
    }
