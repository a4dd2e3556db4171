"""Forms of the plenary: the showcase's order, commenting judges and comments; the programme."""

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from events.models import PlenaryItem
from judging.models import Judge, Showcase


class ShowcaseItemForm(forms.ModelForm):
    class Meta:
        model = Showcase
        fields = ["order", "commenting_judge", "judges_comment", "reason"]
        widgets = {
            "judges_comment": forms.Textarea(attrs={"rows": 3}),
            "order": forms.NumberInput(attrs={"style": "width: 5em"}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commenting_judge"].queryset = Judge.objects.filter(event=event)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if (
            self.instance.pk
            and self.instance.reason
            and "reason" in self.changed_data
            and not data.get("reason")
        ):
            self.add_error("reason", _("请保留或填写入选理由"))
        return data


ShowcaseFormSet = modelformset_factory(Showcase, form=ShowcaseItemForm, extra=0)


class PlenaryItemForm(forms.ModelForm):
    class Meta:
        model = PlenaryItem
        fields = ["order", "kind", "starts_at", "title", "chair", "speaker", "speaker_title",
                  "summary"]  # fmt: skip
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "order": forms.NumberInput(attrs={"style": "width: 5em"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["title"].required = False

    def has_changed(self):
        return super().has_changed() and bool(self.data.get(self.add_prefix("title")))


PlenaryFormSet = modelformset_factory(PlenaryItem, form=PlenaryItemForm, extra=2, can_delete=True)
