"""The organizer's judges: the list, a judge added by hand, the Excel import and template."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from events.services import record_audit
from judging.models import Judge
from judging.rules import organized_event_or_404
from judging.scoring.forms import ImportJudgesForm, JudgeForm
from judging.scoring.judges import JudgesImportRefused, add_judge, import_judges
from judging.scoring.judges_excel import write_judges_template
from judging.scoring.signin import card_plan


@login_required
def judges(request, slug):
    event = organized_event_or_404(request.user, slug)
    form = JudgeForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        venue, role = data.pop("venue"), data.pop("role")
        try:
            judge = add_judge(event=event, venue=venue, role=role, **data)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            record_audit(actor=request.user, action="judges.add", event=event, target=judge)
            messages.success(
                request, _("已添加评委 %(judge)s，并为其创建了账号。") % {"judge": judge}
            )
            return redirect("judging:judges", slug=slug)
    printable, left_out = card_plan(event=event)
    rows = Judge.objects.filter(event=event).prefetch_related("seats__venue").order_by("code")
    context = {
        "event": event,
        "form": form,
        "judges": rows,
        "printable": printable,
        "left_out": left_out,
    }
    return render(request, "judging/orga/judges.html", context)


@login_required
def judges_import(request, slug):
    event = organized_event_or_404(request.user, slug)
    form = ImportJudgesForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_judges(event=event, source=form.cleaned_data["file"])
        except JudgesImportRefused as refused:
            errors = [str(error) for error in refused.errors]
        else:
            record_audit(actor=request.user, action="judges.import", event=event, request=request)
            messages.success(
                request,
                _("已导入评委：新增 %(created)s 位，更新 %(updated)s 位，安排席位 %(seated)s 个。")
                % {
                    "created": summary.created,
                    "updated": summary.updated,
                    "seated": summary.seated,
                },
            )
            return redirect("judging:judges", slug=slug)
    return render(
        request, "judging/orga/judges_import.html", {"event": event, "form": form, "errors": errors}
    )


@login_required
def judges_template(request, slug):
    event = organized_event_or_404(request.user, slug)
    buffer = io.BytesIO()
    write_judges_template(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-judges.xlsx"'
    return response
