"""The review chains a site is shipped with, as data, and `install_preset(slug)`.

Names are data (editable in the admin afterwards); they are stored in Chinese, the paper's
language, with the English beside them in the description. A new site follows `single`.
"""

from __future__ import annotations

from newsroom.roles import Role

SINGLE = "single"
SANSHEN = "sanshen"
COPYDESK = "copydesk"

# slug → (name, description, stages); a stage: (name, signer, kind, may_edit, distinct,
# reapprove_on_edit).
PRESETS: dict[str, tuple[str, str, list[tuple]]] = {
    SINGLE: (
        "单人审核",
        "Single editor: one editor approves and publishes (a small paper; the default).",
        [("编辑审核", Role.EDITOR, "review", True, False, False)],
    ),
    SANSHEN: (
        "三审三校",
        "三审三校: 初审 by the responsible editor, 复审 by the desk chief, 终审 by the chief "
        "editor, each by a different person, with three proofreading rounds; the 终审 signer "
        "publishes.",
        [
            ("初审", Role.EDITOR, "review", True, True, False),
            ("一校", Role.PROOFREADER, "proof", True, False, False),
            ("复审", Role.CHIEF, "review", True, True, True),
            ("二校", Role.PROOFREADER, "proof", True, False, False),
            ("三校", Role.PROOFREADER, "proof", True, False, False),
            ("终审", Role.CHIEF_EDITOR, "review", True, True, True),
        ],
    ),
    COPYDESK: (
        "栏目编辑 + 校对台",
        "Section editor + copy desk: the section editor, then the copy desk, then the "
        "managing editor, who publishes.",
        [
            ("栏目编辑", Role.EDITOR, "review", True, False, False),
            ("校对台", Role.PROOFREADER, "proof", True, False, False),
            ("执行总编", Role.CHIEF_EDITOR, "review", True, False, False),
        ],
    ),
}


def install_preset(slug: str, apps=None):
    """Create (or bring back to its shipped stages) the preset chain `slug`; returns it.
    `apps`: a migration's app registry (None: the live models). An installed chain whose items
    have signed stages keeps them; stages are matched by order."""
    if apps is None:
        from newsroom.review.models import Chain, Stage
    else:
        Chain = apps.get_model("newsroom", "Chain")
        Stage = apps.get_model("newsroom", "Stage")
    name, description, stages = PRESETS[slug]
    chain, _created = Chain.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    for order, (stage_name, signer, kind, may_edit, distinct, reapprove) in enumerate(stages, 1):
        Stage.objects.update_or_create(
            chain=chain,
            order=order * 10,
            defaults={
                "name": stage_name,
                "signer": str(signer),
                "kind": kind,
                "may_edit": may_edit,
                "distinct_signer": distinct,
                "reapprove_on_edit": reapprove,
            },
        )
    return chain


def install_all(apps=None) -> dict:
    return {slug: install_preset(slug, apps) for slug in PRESETS}
