from django_tenants.utils import tenant_context

from groups.organisation import services as org_services


def test_group_url_with_unrecognised_slug_is_404_not_an_ungated_view(world, client_as):
    response = client_as("outsider").get("/g/K-Buurt/")
    assert response.status_code == 404


def test_member_who_left_loses_access(world, client_as, users):
    import datetime

    from tenants.models import Membership

    with tenant_context(world.group_a):
        member = org_services.member_create(
            name="Ryan", joined_on=datetime.date(2025, 1, 1), user_id=users["member"].pk
        )
        org_services.member_update(member=member, left_on=datetime.date.today())
    assert not Membership.objects.filter(user=users["member"], group=world.group_a).exists()
    assert client_as("member").get(f"/g/{world.group_a.slug}/").status_code == 404
