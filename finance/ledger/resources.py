"""Import and export of the chart of accounts (django-import-export).

Rows are matched on the account number; the internal `role` of well-known accounts is never
imported. Changing the kind of a used account is refused by the database guard. The export
neutralises text a spreadsheet would run as a formula (backoffice.core.exports).
"""

from import_export import fields, widgets

from backoffice.core.exports import NeutralisingResource
from finance.ledger.models import Account


class AccountResource(NeutralisingResource):
    code = fields.Field(attribute="code", column_name="nummer")
    name = fields.Field(attribute="name", column_name="naam")
    kind = fields.Field(attribute="kind", column_name="soort")
    rgs_code = fields.Field(attribute="rgs_code", column_name="rgs")
    is_cash = fields.Field(
        attribute="is_cash", column_name="geldrekening", widget=widgets.BooleanWidget()
    )
    is_active = fields.Field(
        attribute="is_active", column_name="in_gebruik", widget=widgets.BooleanWidget()
    )

    class Meta:
        model = Account
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "rgs_code", "is_cash", "is_active"]
        export_order = ["code", "name", "kind", "rgs_code", "is_cash", "is_active"]
        skip_unchanged = True
        clean_model_instances = True
        use_transactions = True
