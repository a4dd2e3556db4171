"""Public pages of the published results: the benchmark lists and the objection form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from events.enums import CategoryKind
from events.models import Category, Event
from judging.awards import throttle
from judging.awards.forms import ObjectionForm
from judging.awards.publication import (
    file_objection,
    notice_open,
    public_lists,
    visible_publication,
)
from judging.awards.services import AwardError
from judging.models import AnchorKind, Publication
from judging.rules import enterprise_of
from judging.scoring.anchors import latest_anchor, text_of
from judging.scoring.views.anchors import anchor_response
from qcexchange import versions
from qcexchange.pagecache import event_version_keys, shared_page


def _published(slug):
    event = Event.objects.filter(slug=slug).first()
    publication = visible_publication(event) if event else None
    if publication is None:
        raise Http404
    return event, publication


def _pending(request, event):
    """Before publication a page says when the results come, instead of a dead end."""
    upcoming = Publication.objects.filter(event=event).only("notice_starts").first()
    context = {"event": event, "notice_starts": upcoming.notice_starts if upcoming else None}
    return render(request, "judging/public/results_pending.html", context)


@shared_page(event_version_keys)
def results(request, slug):
    event = get_object_or_404(Event, slug=slug)
    publication = visible_publication(event)
    if publication is None:
        return _pending(request, event)
    query = request.GET.get("q", "")[:60]
    context = {
        "event": event,
        "publication": publication,
        # Read only when the list shared by all readers has expired (see the template's cache).
        "lists": SimpleLazyObject(lambda: public_lists(publication, query=query)),
        "cache_seconds": settings.QCX_PUBLIC_CACHE_SECONDS,
        # Part of the lists' cache key: an override or a publication renews them at once.
        "version": versions.current(versions.event_key(event.pk)),
        "query": query,
        "show_scores": event.show_scores_publicly,
        "open": notice_open(publication),
        "anchor": publication_anchor(event, publication),
    }
    return render(request, "judging/public/results.html", context)


@shared_page(event_version_keys)
def honours(request, slug, kind):
    """One honour's list (优秀个人, 质量工匠, 优秀组织单位): the honoured, once published."""
    event = get_object_or_404(Event, slug=slug)
    category = get_object_or_404(
        Category, event=event, kind__in=CategoryKind.nominations(), kind=kind
    )
    publication = visible_publication(event)
    if publication is None:
        return _pending(request, event)
    [(category, rows)] = public_lists(publication, categories=[category])
    context = {
        "event": event,
        "publication": publication,
        "category": category,
        "rows": rows,
        "show_scores": event.show_scores_publicly,
        "open": notice_open(publication),
    }
    return render(request, "judging/public/honours.html", context)


def publication_anchor(event, publication):
    """The ledger anchor recorded when the shown award run was published (None before)."""
    return latest_anchor(event, kind=AnchorKind.PUBLICATION, run_id=publication.run_id)


def ledger_anchor(request, slug):
    """The signed ledger anchor of the published results, as a text file anyone can keep."""
    event, publication = _published(slug)
    anchor = publication_anchor(event, publication)
    if anchor is None:
        raise Http404
    title = _("%(event)s 评选结果公示时的评分账本锚点（计算摘要 %(digest)s）") % {
        "event": event.name,
        "digest": publication.run.digest,
    }
    return anchor_response(text_of(anchor, title=title), f"ledger-anchor-{slug}-published.txt")


@login_required
def objection(request, slug):
    event, publication = _published(slug)
    if not notice_open(publication):
        raise Http404
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise PermissionDenied(_("只有已登录的企业用户可以提出异议。"))
    if request.method == "POST" and not throttle.allow(
        scope=f"objection:{event.pk}",
        keys=[f"user:{request.user.pk}", f"ip:{throttle.client_ip(request)}"],
        limit=settings.QCX_OBJECTION_RATE,
        window=settings.QCX_OBJECTION_RATE_WINDOW,
    ):
        response = render(
            request,
            "judging/public/results_objection.html",
            {"event": event, "publication": publication, "form": None, "throttled": True},
            status=429,
        )
        return response
    form = ObjectionForm(
        request.POST or None,
        request.FILES or None,
        max_mb=event.upload_max_mb,
        nominations=event.categories.filter(kind__in=CategoryKind.nominations()).exists(),
        initial={"code": request.GET.get("code", ""), "unit": enterprise.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            file_objection(event=event, filed_by=request.user, **form.cleaned_data)
        except AwardError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("异议已提交，组织方将逐条答复。"))
            return redirect("awards_public:results", slug=event.slug)
    context = {"event": event, "publication": publication, "form": form}
    return render(request, "judging/public/results_objection.html", context)
