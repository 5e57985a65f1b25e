"""A resident group's own organisation, stored in the group's schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.history import tenant_history


class Profile(models.Model):
    """Who the group is: one row per group schema."""

    name = models.CharField(_("naam"), max_length=120)
    neighbourhood = models.CharField(_("buurt"), max_length=120, blank=True)
    mission = models.TextField(_("waar we voor staan"), blank=True)
    contact_email = models.EmailField(_("e-mailadres van de groep"), blank=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("groepsprofiel")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="profile_is_singleton")
        ]

    def __str__(self):
        return self.name
