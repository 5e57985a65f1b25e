"""Forms of the support organisation's pages: new groups, people, support workers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import District, Membership, slug_validator


class GroupCreateForm(forms.Form):
    name = forms.CharField(label=_("Naam van de groep"), max_length=120)
    slug = forms.CharField(
        label=_("Korte naam in het webadres"),
        max_length=40,
        validators=[slug_validator],
        help_text=_(
            "Bijvoorbeeld: hart-voor-de-k-buurt. Alleen kleine letters, cijfers en streepjes."
        ),
    )
    district = forms.ChoiceField(label=_("Stadsdeel"), choices=District.choices)
    neighbourhood = forms.CharField(label=_("Buurt"), max_length=120, required=False)


class PersonAddForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol in de groep"), choices=Membership.Role.choices)


class AssignmentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Ondersteuner"), queryset=None)

    def __init__(self, *args, **kwargs):
        from tenants.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            org_role__in=[User.OrgRole.SUPPORT_WORKER, User.OrgRole.COORDINATOR], is_active=True
        ).order_by("first_name")
