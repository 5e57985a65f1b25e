"""Household addresses imported from CSV/XLSX (django-import-export), with a preview.

Rows are matched on the address (postcode, house number, addition), so importing the same
file twice changes nothing; a file that names one address twice, or lacks a house number,
is refused with the rows that are wrong.
"""

from django.utils.translation import gettext as _
from import_export import fields

from backoffice.core.exports import NeutralisingResource
from groups.initiatives.models import Household


class HouseholdResource(NeutralisingResource):
    street = fields.Field(attribute="street", column_name="straat")
    house_number = fields.Field(attribute="house_number", column_name="huisnummer")
    addition = fields.Field(attribute="addition", column_name="toevoeging")
    postcode = fields.Field(attribute="postcode", column_name="postcode")

    class Meta:
        model = Household
        import_id_fields = ["postcode", "house_number", "addition"]
        fields = ["street", "house_number", "addition", "postcode"]
        skip_unchanged = True
        clean_model_instances = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self._seen = {}

    def before_import_row(self, row, **kwargs):
        number = str(row.get("huisnummer") or "").strip()
        if not number.isdigit():
            raise ValueError(_("Het huisnummer ontbreekt of is geen getal."))
        row["huisnummer"] = number
        row["postcode"] = str(row.get("postcode") or "").strip().upper().replace("  ", " ")
        if len(row["postcode"]) == 6:
            row["postcode"] = row["postcode"][:4] + " " + row["postcode"][4:]
        row["toevoeging"] = str(row.get("toevoeging") or "").strip().upper()
        key = (row["postcode"], number, row["toevoeging"])
        line = kwargs.get("row_number")
        if key in self._seen:
            raise ValueError(
                _("Dit adres staat al op regel %(line)s van het bestand.")
                % {"line": self._seen[key]}
            )
        self._seen[key] = line
