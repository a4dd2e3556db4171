"""Write the demo's nominations: the 40-year honours of cmqa-40 with their written review,
and the 质量工匠 contest announced at its plenary (the written review is scored in scores.py).

The plan is in honours_plan.py. Everything is written in bulk and only when missing, so
running seed_demo again changes nothing.

The dossiers are given to the experts by the product's own assignment (assign_reviewers),
with the demo's seed: the plan is made on the codes, so the same seed gives the same readers
whatever the database's ids.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from events.enums import AwardRule, QuotaScope, TieRule, VenueMode
from events.models import Category, Event, Venue
from judging.demo import catalogue as cat
from judging.demo import honours_plan as hp
from judging.demo.plan import ENTERPRISES_PER_BLOCK
from judging.dossiers import dossier_ids
from judging.enums import Phase
from judging.models import Judge, PanelSeat, ScoreSheet
from judging.people.services import register_judges
from judging.schedule.review_services import assign_reviewers
from judging.scoring.sheets import ItemInput, save_score_sheet
from judging.setup import contest_defaults
from judging.setup.contest_services import ContestCategory, create_contest
from submissions.enums import PresentationMode, Status
from submissions.models import Enterprise, RecommendingBody, Submission


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, timezone.get_default_timezone())


def seed_honours(*, event: Event, plan, seed: int, result) -> None:
    """Create the 40-year honours of the demo event where missing: categories, sheets,
    written-review panels with their experts, nominations and the dossiers' readers."""
    honours = hp.build_honours(seed=seed, enterprises=plan.enterprises[:ENTERPRISES_PER_BLOCK])
    categories = _categories(event, result)
    _sheets(event, categories, result)
    venues = _venues(event, categories, result)
    _nominations(event, honours.nominations, categories, Status.ADMITTED, result, "honours")
    _experts(event, honours.experts, venues, result)
    _readers(event, seed, venues, result)


def _categories(event: Event, result) -> dict[str, Category]:
    categories, count = {}, 0
    for spec in hp.HONOURS:
        category, created = Category.objects.get_or_create(
            event=event,
            code_prefix=spec.prefix,
            defaults={
                "kind": spec.kind,
                "name": spec.name,
                "honour": spec.honour,
                "honour_prefix": "机械工业",
                "order": spec.order,
                "min_members": 0,
                "award_rule": AwardRule.QUOTA,
                "quota_count": spec.quota,
                "quota_scope": QuotaScope.CATEGORY,
                "tie_rule": TieRule.TIEBREAK,
                "nomination_limit": spec.limit,
                "readers_per_nomination": spec.readers,
            },
        )
        categories[spec.prefix] = category
        count += created
    result.created["honour_categories"] = count
    return categories


def _sheets(event: Event, categories: dict[str, Category], result) -> None:
    count = 0
    for spec in hp.HONOURS:
        category = categories[spec.prefix]
        if ScoreSheet.objects.filter(category=category, phase=Phase.DOCUMENTS).exists():
            continue
        defaults = contest_defaults.DEFAULTS[spec.kind]
        sheet = ScoreSheet(
            event=event,
            category=category,
            phase=Phase.DOCUMENTS,
            name=spec.sheet_name,
            note=cat.SHEET_NOTE,
        )
        items = [
            ItemInput(i.code, i.name, i.max_points, i.criteria, contest_defaults.ITEM_STEP)
            for i in defaults.items
        ]
        save_score_sheet(sheet=sheet, items=items)
        count += 1
    result.created["honour_score_sheets"] = count


def _venues(event: Event, categories: dict[str, Category], result) -> dict[int, Venue]:
    venues, count = {}, 0
    for spec in hp.HONOURS:
        venue, created = Venue.objects.get_or_create(
            event=event,
            number=spec.venue,
            defaults={
                "category": categories[spec.prefix],
                "name": spec.venue_name,
                "mode": VenueMode.WRITTEN,
                "day": hp.HONOURS_DUE,
            },
        )
        venues[spec.venue] = venue
        count += created
    result.created["written_venues"] = count
    return venues


def _nominations(event, specs, categories, status, result, key: str) -> None:
    enterprises = dict(
        Enterprise.objects.filter(name__in={s.enterprise for s in specs}).values_list("name", "pk")
    )
    recommenders = dict(RecommendingBody.objects.values_list("name", "pk"))
    existing = set(Submission.objects.filter(event=event).values_list("code", flat=True))
    missing = [
        Submission(
            event=event,
            category=categories[spec.prefix],
            code=spec.code,
            enterprise_id=enterprises[spec.enterprise],
            recommender_id=recommenders.get(spec.recommender),
            group_name=spec.group_name,
            title=spec.title,
            nominee_name=spec.nominee_name,
            nominee_gender=spec.nominee_gender,
            nominee_position=spec.nominee_position,
            nominee_years=spec.nominee_years,
            nominee_trade=spec.nominee_trade,
            nominee_skill_level=spec.nominee_skill_level,
            achievements=spec.achievements,
            recommender_opinion="同意推荐。",
            contact_name=spec.contact_name,
            contact_phone=spec.contact_phone,
            contact_email=spec.contact_email,
            status=status,
            presentation_mode=PresentationMode.WRITTEN,
            submitted_at=_aware(dt.datetime.combine(spec.submitted_on, dt.time(10, 0))),
        )
        for spec in specs
        if spec.code not in existing
    ]
    Submission.objects.bulk_create(missing)
    result.created[f"{key}_nominations"] = len(missing)


def _experts(event: Event, specs, venues: dict[int, Venue], result) -> None:
    User = get_user_model()
    usernames = {s.code: f"cmqa40-{s.code.lower()}" for s in specs}
    have = set(
        User.objects.filter(username__in=usernames.values()).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        User(username=usernames[s.code], first_name=s.name, password=make_password(None))
        for s in specs
        if usernames[s.code] not in have
    )
    users = dict(User.objects.filter(username__in=usernames.values()).values_list("username", "pk"))
    enterprises = dict(
        Enterprise.objects.filter(
            name__in={s.enterprise for s in specs if s.enterprise}
        ).values_list("name", "pk")
    )
    existing = set(Judge.objects.filter(event=event).values_list("code", flat=True))
    missing = [
        Judge(
            event=event,
            code=s.code,
            user_id=users[usernames[s.code]],
            name=s.name,
            affiliation_id=enterprises.get(s.enterprise),
            affiliation_name=s.affiliation_name,
            parent_group=s.parent_group,
            province=s.province,
            qualification=hp.EXPERT_QUALIFICATION,
            phone=s.phone,
        )
        for s in specs
        if s.code not in existing
    ]
    Judge.objects.bulk_create(missing)
    judge_ids = dict(Judge.objects.filter(event=event).values_list("code", "pk"))
    seated = set(PanelSeat.objects.filter(venue__event=event).values_list("judge_id", "venue_id"))
    seats = [
        PanelSeat(judge_id=judge_ids[s.code], venue=venues[s.venue], role=s.role)
        for s in specs
        if (judge_ids[s.code], venues[s.venue].pk) not in seated
    ]
    PanelSeat.objects.bulk_create(seats)
    if missing:
        register_judges(event=event)  # the experts come to the plenary as judges too
    result.created["experts"] = len(missing)
    result.created["expert_seats"] = len(seats)


def _readers(event: Event, seed: int, venues, result) -> None:
    """Give the dossiers of each written panel to its experts where some have no reader yet,
    as an organizer does (assign_reviewers): balanced, recused, the same for the same seed."""
    count = 0
    for spec in hp.HONOURS:
        venue = venues[spec.venue]
        waiting = Submission.objects.filter(
            pk__in=dossier_ids(venue), status=Status.ADMITTED, review_assignments__isnull=True
        )
        if waiting.exists() and venue.seats.exists():
            count += assign_reviewers(venue=venue, seed=seed).created
    result.created["review_assignments"] = count


# --------------------------------------------------------------------------- the contest


def seed_contest(*, announcer: Event, plan, seed: int, result, today: dt.date) -> Event:
    """Create the 质量工匠 contest announced at the demo event, open for nominations on
    ``today``, with its first nominations, where missing."""
    contest = Event.objects.filter(slug=hp.CONTEST["slug"]).first()
    result.created["contest"] = int(contest is None)
    if contest is None:
        dates = hp.contest_dates(today)
        organizer = get_user_model().objects.filter(username=cat.ORGANIZER_USERNAME).first()
        contest = create_contest(
            announced_at=announcer,
            slug=hp.CONTEST["slug"],
            name=hp.CONTEST["name"],
            short_name=hp.CONTEST["short_name"],
            start_date=dates["start_date"],
            end_date=dates["end_date"],
            submission_opens=_aware(dates["submission_opens"]),
            submission_closes=_aware(dates["submission_closes"]),
            categories=[ContestCategory(**hp.CONTEST["category"])],
            notice=hp.CONTEST_NOTICE,
            user=organizer,
        )
    categories = {c.code_prefix: c for c in contest.categories.all()}
    specs = hp.build_craftsmen(
        seed=seed, enterprises=plan.enterprises[:ENTERPRISES_PER_BLOCK], today=today
    )
    _nominations(contest, specs, categories, Status.SUBMITTED, result, "contest")
    return contest
