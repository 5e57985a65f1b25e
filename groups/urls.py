from django.urls import path

from groups.decisions import views as decision_views
from groups.organisation import views as org_views
from groups.relations import views as relation_views

app_name = "groups"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("openbaar/", org_views.public, name="public"),
    path("profiel/", org_views.profile, name="profile"),
    path("profiel/bewerken/", org_views.profile_edit, name="profile_edit"),
    path("inrichten/", org_views.setup, name="setup"),
    path("inrichten/<slug:step>/", org_views.setup_step, name="setup_step"),
    path("leden/", org_views.member_list, name="member_list"),
    path("leden/nieuw/", org_views.member_new, name="member_new"),
    path("leden/mijn-gegevens/", org_views.my_data, name="my_data"),
    path("leden/<int:pk>/", org_views.member_detail, name="member_detail"),
    path("leden/<int:pk>/bewerken/", org_views.member_edit, name="member_edit"),
    path("leden/<int:pk>/gegevens/", org_views.member_export, name="member_export"),
    path("leden/<int:pk>/anonimiseren/", org_views.member_anonymise, name="member_anonymise"),
    path("leden/<int:pk>/rol/", org_views.role_assign, name="role_assign"),
    path("termijnen/<int:pk>/beeindigen/", org_views.role_end, name="role_end"),
    path("termijnen/<int:pk>/overdragen/", org_views.role_handover, name="role_handover"),
    path("regels/", decision_views.rules, name="rules"),
    path("regels/wijzigen/", decision_views.rules_change, name="rules_change"),
    path("vergaderingen/", decision_views.meeting_list, name="meeting_list"),
    path("vergaderingen/nieuw/", decision_views.meeting_new, name="meeting_new"),
    path("vergaderingen/<int:pk>/", decision_views.meeting_detail, name="meeting_detail"),
    path("vergaderingen/<int:pk>/bewerken/", decision_views.meeting_edit, name="meeting_edit"),
    path(
        "vergaderingen/<int:pk>/aanwezig/",
        decision_views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("vergaderingen/<int:pk>/besluit/", decision_views.decision_new, name="decision_new"),
    path("besluiten/", decision_views.decision_list, name="decision_list"),
    path("besluiten/<int:pk>/", decision_views.decision_detail, name="decision_detail"),
    path("besluiten/<int:pk>/bewerken/", decision_views.decision_edit, name="decision_edit"),
    path("besluiten/<int:pk>/openbaar/", decision_views.decision_publish, name="decision_publish"),
    path("conflicten/", relation_views.conflict_list, name="conflict_list"),
    path("conflicten/nieuw/", relation_views.conflict_new, name="conflict_new"),
    path("conflicten/<int:pk>/", relation_views.conflict_detail, name="conflict_detail"),
    path("conflicten/<int:pk>/bewerken/", relation_views.conflict_edit, name="conflict_edit"),
    path("partners/", relation_views.partner_list, name="partner_list"),
    path("partners/nieuw/", relation_views.partner_new, name="partner_new"),
    path("partners/<int:pk>/", relation_views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/bewerken/", relation_views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/afspraak/", relation_views.agreement_new, name="agreement_new"),
]
