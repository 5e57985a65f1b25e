"""Demo data inside each group's schema."""

from . import services

MISSIONS = {
    "hart-voor-de-k-buurt": "Samen maken we de K-buurt schoner, groener en gezelliger.",
    "bewonersplatform-banne": "Bewoners van de Banne beslissen mee over het buurtbudget.",
    "buurtgroep-slotermeer": "Activiteiten voor jong en oud rond het Sloterpark.",
}


def load_for_group(group, people) -> None:
    profile = services.profile_initialise(name=group.name, neighbourhood=group.neighbourhood)
    if not profile.mission:
        services.profile_update(profile=profile, mission=MISSIONS.get(group.slug, ""))
