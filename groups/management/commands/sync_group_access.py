from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from groups.organisation.services import access_sync
from tenants import facade as tenants


class Command(BaseCommand):
    help = (
        "Zet toegang aan of uit voor rollen die vandaag beginnen of eindigen "
        "(dagelijks draaien, bijvoorbeeld met cron)."
    )

    def handle(self, *args, **options):
        total_granted = total_revoked = 0
        for group in tenants.groups_list().iterator():
            with tenant_context(group):
                granted, revoked = access_sync(group=group)
            total_granted += granted
            total_revoked += revoked
        self.stdout.write(f"Toegang: {total_granted} gegeven, {total_revoked} ingetrokken.")
