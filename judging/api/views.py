"""JSON API for judge tablets and integrations: venue, running order, score sheet, scorecards.

Same rules as the pages: a judge reaches only their venue's entries and their own cards, and
anything else is a 404. Submits are idempotent by the client-generated ``client_id``.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from judging import rules
from judging.enums import CardSource, CardStatus
from judging.models import Scorecard
from judging.rules import entry_for_judge_or_404
from judging.scoring import selectors
from judging.scoring.resends import one_submit_per_card, stored_resend
from judging.scoring.services import save_draft, submit_scorecard
from judging.scoring.sheets import sheet_for


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.pk")
    code = serializers.CharField(source="entry.code")
    title = serializers.CharField(source="entry.title")
    group = serializers.CharField(source="entry.group_name")
    draw_number = serializers.IntegerField(source="assignment.draw_number", allow_null=True)
    recused = serializers.BooleanField()
    presenting = serializers.BooleanField()
    card_status = serializers.SerializerMethodField()

    def get_card_status(self, row) -> str | None:
        return row.card.status if row.card else None


class VenueSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="venue.pk")
    number = serializers.IntegerField(source="venue.number")
    name = serializers.CharField(source="venue.name")
    room = serializers.CharField(source="venue.room")
    event = serializers.CharField(source="venue.event.slug")
    role = serializers.CharField()
    judge = serializers.CharField(source="judge.code")
    locked = serializers.BooleanField()
    running_order = EntrySerializer(many=True)


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    criteria = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2)
    step = serializers.DecimalField(max_digits=4, decimal_places=2)


class CardSerializer(serializers.Serializer):
    # Declared field by field (not a ModelSerializer): every submit answers with one, and a
    # ModelSerializer reads the model's fields again each time it is made.
    id = serializers.IntegerField(read_only=True)
    entry = serializers.CharField(source="submission.code", read_only=True)
    judge = serializers.CharField(source="judge.code", read_only=True)
    status = serializers.ChoiceField(choices=CardStatus.choices, read_only=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    comment = serializers.CharField(read_only=True)
    points = serializers.SerializerMethodField()
    client_id = serializers.UUIDField(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    returned_reason = serializers.CharField(read_only=True)

    def get_points(self, card) -> dict[str, str]:
        prefetched = "lines" in getattr(card, "_prefetched_objects_cache", {})
        lines = card.lines.all() if prefetched else card.lines.select_related("item")
        return {line.item.code: str(line.points) for line in lines}


class SheetSerializer(serializers.Serializer):
    entry = serializers.DictField()
    sheet = serializers.DictField()
    items = ItemSerializer(many=True)
    recused = serializers.BooleanField()
    card = CardSerializer(allow_null=True)


class PointsInput(serializers.Serializer):
    points = serializers.DictField(child=serializers.CharField(allow_blank=True))
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class SubmitInput(PointsInput):
    submission = serializers.IntegerField()
    client_id = serializers.UUIDField()


ERRORS = inline_serializer(
    "Errors", {"errors": serializers.ListField(child=serializers.CharField())}
)


def error_response(error: ValidationError) -> Response:
    code = status.HTTP_409_CONFLICT if error_code(error) in {"locked", "submitted"} else 400
    return Response({"errors": error.messages}, status=code)


def error_code(error: ValidationError) -> str | None:
    return getattr(error, "code", None) or next(
        (getattr(e, "code", None) for e in getattr(error, "error_list", [])), None
    )


class MyVenuesView(APIView):
    """The signed-in judge's venues with their running order."""

    @extend_schema(responses=VenueSerializer(many=True))
    def get(self, request):
        data = []
        for seat in selectors.seats_of(request.user):
            data.append(
                {
                    "venue": seat.venue,
                    "judge": seat.judge,
                    "role": seat.role,
                    "locked": selectors.venue_status(seat.venue).is_locked,
                    "running_order": selectors.venue_board(venue=seat.venue, judge=seat.judge),
                }
            )
        return Response(VenueSerializer(data, many=True).data)


class SheetView(APIView):
    """The score sheet of an entry of the judge's venue, with the judge's own card if any."""

    @extend_schema(responses=SheetSerializer)
    def get(self, request, submission_id):
        seat, entry = entry_for_judge_or_404(request.user, submission_id)
        sheet = sheet_for(entry, venue=seat.venue)
        card = (
            Scorecard.objects.filter(judge=seat.judge, submission=entry, sheet=sheet)
            .prefetch_related("lines__item")
            .first()
        )
        data = {
            "entry": {"id": entry.pk, "code": entry.code, "title": entry.title},
            "sheet": {"id": sheet.pk, "name": sheet.name, "total": str(sheet.total)},
            "items": list(sheet.items.all()),
            "recused": rules.is_recused(seat.judge, entry),
            "card": card,
        }
        return Response(SheetSerializer(data).data)


class DraftView(APIView):
    """Save the judge's unfinished card for an entry (not recorded in the ledger)."""

    @extend_schema(request=PointsInput, responses={200: CardSerializer, 400: ERRORS})
    def post(self, request, submission_id):
        seat, entry = entry_for_judge_or_404(request.user, submission_id)
        given = PointsInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            card = save_draft(
                judge=seat.judge,
                submission=entry,
                points=given.validated_data["points"],
                comment=given.validated_data["comment"],
            )
        except ValidationError as error:
            return error_response(error)
        return Response(CardSerializer(card).data)


class SubmitView(APIView):
    """Submit a scorecard. Repeating a request with the same client_id returns the stored card
    (200) instead of storing it twice (201 the first time)."""

    @extend_schema(
        request=SubmitInput, responses={200: CardSerializer, 201: CardSerializer, 400: ERRORS}
    )
    def post(self, request):
        given = SubmitInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        with one_submit_per_card(request.user.pk, data["submission"]):
            stored = stored_resend(request.user, data["submission"], data["client_id"])
            if stored is not None:
                return Response(CardSerializer(stored).data, status=status.HTTP_200_OK)
            seat, entry = entry_for_judge_or_404(request.user, data["submission"])
            try:
                card = submit_scorecard(
                    judge=seat.judge,
                    submission=entry,
                    points=data["points"],
                    comment=data["comment"],
                    client_id=data["client_id"],
                    source=CardSource.TABLET
                    if request.headers.get("X-Card-Source") == CardSource.TABLET
                    else CardSource.API,
                    actor=request.user,
                    seat=seat,
                )
            except ValidationError as error:
                return error_response(error)
        return Response(
            CardSerializer(card).data,
            status=status.HTTP_200_OK if card.replayed else status.HTTP_201_CREATED,
        )
