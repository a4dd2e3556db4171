"""The portal's delegate registration: an organization registers its own people only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from events.models import Event

from ..forms import DelegateForm
from ..models import Delegate
from ..services.delegates import organization_kind_of, register_delegate, registration_is_open


def _enterprise(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise Http404
    return membership.enterprise


@login_required
def delegates(request, slug):
    enterprise = _enterprise(request)
    event = get_object_or_404(Event, slug=slug)
    people = (
        Delegate.objects.filter(event=event, enterprise=enterprise)
        .prefetch_related("venues")
        .order_by("pk")
    )
    context = {
        "event": event,
        "enterprise": enterprise,
        "delegates": people,
        "is_open": registration_is_open(event),
    }
    return render(request, "submissions/portal/delegates.html", context)


@login_required
def delegate_edit(request, slug, pk=None):
    enterprise = _enterprise(request)
    event = get_object_or_404(Event, slug=slug)
    if pk is None:
        delegate = Delegate(
            event=event,
            enterprise=enterprise,
            organization=enterprise.name,
            organization_kind=organization_kind_of(enterprise.name, enterprise),
        )
    else:
        delegate = get_object_or_404(Delegate, pk=pk, event=event, enterprise=enterprise)
    if not registration_is_open(event):
        messages.error(request, _("本活动代表报名已截止。"))
        return redirect("submissions:delegates", slug=slug)
    form = DelegateForm(request.POST or None, instance=delegate, event=event, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            register_delegate(
                event=event,
                delegate=form.save(commit=False),
                venues=list(form.cleaned_data["venues"]),
                user=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": delegate.name})
            return redirect("submissions:delegates", slug=slug)
    context = {"event": event, "form": form, "delegate": delegate}
    return render(request, "submissions/portal/delegate_form.html", context)
