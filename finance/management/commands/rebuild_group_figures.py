"""manage.py rebuild_group_figures [--group SLUG]

Recomputes the per-group figures in the public schema (tenants/figures.py) from each group's
books and replaces the stored ones, group by group, each in one transaction: the month
figures and grant figures from the books, and the month counts (initiatives, vouchers,
ballots, households reached) and year statuses (closed, kascommissie) from the sources named
in the settings. The posting path and the owning services keep them current; run this
once after installing the figures, after importing a group, or to check (`--check` only
reports groups whose stored figures differ).
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from finance import facade as finance
from tenants import facade as tenants


def stored_figures(group_id: int) -> tuple[set, set]:
    months = set(
        tenants.GroupMonthFigure.objects.filter(group_id=group_id)
        .exclude(lines=0)
        .values_list(
            "month",
            "account_code",
            "account_kind",
            "rgs_code",
            "grant_id",
            "debit",
            "credit",
            "lines",
        )
    )
    grants = set(
        tenants.GroupGrantFigure.objects.filter(group_id=group_id).values_list(
            "grant_id", "reference", "funder", "period_start", "period_end", "awarded", "committed"
        )
    )
    return months, grants


def computed_figures(group) -> tuple[set, set, list, list]:
    with tenant_context(group):
        months, grants = finance.figures_compute()
    month_set = {
        (
            m.month,
            m.account_code,
            m.account_kind,
            m.rgs_code,
            m.grant_id,
            m.debit,
            m.credit,
            m.lines,
        )
        for m in months
    }
    grant_set = {
        (g.grant_id, g.reference, g.funder, g.period_start, g.period_end, g.awarded, g.committed)
        for g in grants
    }
    return month_set, grant_set, months, grants


class Command(BaseCommand):
    help = "Bereken de cijfers per groep opnieuw uit de boekhouding van elke groep."

    def add_arguments(self, parser):
        parser.add_argument("--group", help="alleen deze groep (slug)")
        parser.add_argument(
            "--check", action="store_true", help="alleen vergelijken, niets vervangen"
        )

    def handle(self, *args, group=None, check=False, **options):
        groups = list(tenants.groups_list(slug=group, active_only=False))
        if group and not groups:
            raise CommandError(f"Geen groep met de korte naam ‘{group}’.")
        differing = 0
        for each in groups:
            month_set, grant_set, months, grants = computed_figures(each)
            counts, years = tenants.counts_compute(each)
            figures_differ = (month_set, grant_set) != stored_figures(each.pk)
            counts_differ = (counts, years) != tenants.counts_stored(each.pk)
            if not (figures_differ or counts_differ):
                continue
            differing += 1
            if check:
                self.stdout.write(f"{each.slug}: opgeslagen cijfers wijken af")
                continue
            if figures_differ:
                tenants.figures_replace(group_id=each.pk, months=months, grants=grants)
            if counts_differ:
                tenants.counts_replace(group_id=each.pk, counts=counts, years=years)
        verb = "wijken af" if check else "opnieuw berekend"
        self.stdout.write(f"{len(groups)} groepen bekeken, {differing} {verb}.")
        if check and differing:
            raise CommandError("De opgeslagen cijfers wijken af van de boekhouding.")
