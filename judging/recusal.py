"""Recusal decided at the moment it matters: the event's rules on the judge and the entry,
plus any stored recusal (manual, or automatic from ``assign_venues``).

The stored automatic recusals are written when venues are assigned; a judge added, seated
or edited afterwards must stand aside all the same. So whatever lets a judge open or submit
a card, and whatever counts the cards a panel owes, asks here instead of reading the stored
rows alone. Each function costs a fixed number of queries, whatever the number of pairs.
"""

from collections.abc import Iterable

from judging.models import Recusal
from judging.schedule import recusal_rules
from judging.schedule.services import entry_party
from submissions.models import Enterprise


def event_rules(event) -> recusal_rules.RecusalRules:
    return recusal_rules.RecusalRules(
        parent_group=event.recuse_parent_group,
        province=event.recuse_province,
        recommender=event.recuse_recommender,
    )


def judge_party(judge, affiliation=None) -> recusal_rules.JudgeParty:
    """Return the judge as the pure rules see them; ``affiliation`` defaults to the judge's own."""
    if affiliation is None and judge.affiliation_id:
        affiliation = judge.affiliation
    names = {judge.affiliation_name}
    if affiliation is not None:
        names.add(affiliation.name)
    return recusal_rules.JudgeParty(
        key=judge.pk,
        organisations=frozenset(n for n in names if n),
        parent_group=judge.parent_group or (affiliation.parent_group if affiliation else ""),
        province=judge.province or (affiliation.province if affiliation else ""),
    )


def rule_source(*, judge, submission, event, affiliation=None) -> str | None:
    """Return why the event's rules exclude the judge from the entry, or None (no query
    when the judge's affiliation and the entry's enterprise and recommender are loaded)."""
    return recusal_rules.recusal_source(
        judge_party(judge, affiliation), entry_party(submission), event_rules(event)
    )


def recusal_source(judge, submission) -> str | None:
    """Return why the judge must stand aside from the entry (stored or by the rules), or None."""
    stored = (
        Recusal.objects.filter(judge=judge, submission=submission)
        .values_list("source", flat=True)
        .first()
    )
    if stored:
        return stored
    return rule_source(judge=judge, submission=submission, event=submission.event)


def recused_pairs(*, event, judges: Iterable, entries: Iterable) -> set[tuple[int, int]]:
    """Return the (judge id, entry id) pairs that must stand aside: stored or by the rules.

    Load the judges with ``affiliation`` and the entries with ``enterprise`` and
    ``recommender`` (select_related) to keep this to one query.
    """
    judges, entries = list(judges), list(entries)
    if not judges or not entries:
        return set()
    pairs = set(
        Recusal.objects.filter(
            judge_id__in=[j.pk for j in judges], submission_id__in=[e.pk for e in entries]
        ).values_list("judge_id", "submission_id")
    )
    rules = event_rules(event)
    parties = [entry_party(e) for e in entries]
    for judge in judges:
        party = judge_party(judge)
        for entry in parties:
            if recusal_rules.recusal_source(party, entry, rules):
                pairs.add((judge.pk, entry.key))
    return pairs


def recused_pairs_by_venue(
    *, event, judges_by_venue: dict[int, list], entries_by_venue: dict[int, list]
) -> dict[int, set[tuple[int, int]]]:
    """Return, per venue, the pairs of its seated judges and its entries that stand aside."""
    stored = set(
        Recusal.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    )
    rules = event_rules(event)
    found: dict[int, set[tuple[int, int]]] = {}
    for venue_id, judges in judges_by_venue.items():
        entries = [entry_party(e) for e in entries_by_venue.get(venue_id, [])]
        pairs = found.setdefault(venue_id, set())
        for judge in judges:
            party = judge_party(judge)
            for entry in entries:
                pair = (judge.pk, entry.key)
                if pair in stored or recusal_rules.recusal_source(party, entry, rules):
                    pairs.add(pair)
    return found


def recused_by_rules(judge, assignment) -> bool:
    """Apply the event's rules to a judge and an assignment loaded by the submit's one query
    (with its venue's event, the entry's enterprise and recommender, and the judge's
    affiliation as annotations): no further query."""
    affiliation = None
    if judge.affiliation_id and assignment.affiliation_name is not None:
        affiliation = Enterprise(
            pk=judge.affiliation_id,
            name=assignment.affiliation_name,
            parent_group=assignment.affiliation_group or "",
            province=assignment.affiliation_province or "",
        )
    return bool(
        rule_source(
            judge=judge,
            submission=assignment.submission,
            event=assignment.venue.event,
            affiliation=affiliation,
        )
    )
