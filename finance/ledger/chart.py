"""The default chart of accounts for a resident group.

RGS codes (Referentie Grootboekschema) are given at the most specific level that could be
verified; where only the group (e.g. WBed, bedrijfslasten) is certain, the group code is used,
and where not even that fits (subsidies and donations received by a foundation) the code is
left blank: a missing code is a look-up for the treasurer, a wrong one misfiles the books.
"""

# code, name, kind, rgs_code, is_cash, role
DEFAULT_CHART = [
    ("0500", "Eigen vermogen", "vermogen", "BEiv", False, "equity"),
    ("0600", "Bestemmingsfonds buurtbudget", "vermogen", "BEiv", False, "earmarked_fund"),
    ("1000", "Kas", "activa", "BLimKasKas", True, "cash"),
    ("1100", "Bank", "activa", "BLimBanRba", True, "bank"),
    ("1300", "Te ontvangen subsidie", "activa", "BVorOva", False, "grant_receivable"),
    ("1600", "Crediteuren", "schuld", "BSchCre", False, "payables"),
    ("1650", "Te betalen declaraties", "schuld", "BSchOvs", False, "claims_payable"),
    ("1700", "Vooruitontvangen subsidie", "schuld", "BSchOvp", False, "grant_deferred"),
    ("4000", "Activiteiten", "lasten", "WBed", False, ""),
    ("4100", "Materialen", "lasten", "WBed", False, ""),
    ("4200", "Communicatie", "lasten", "WBed", False, ""),
    ("4300", "Huur ruimte", "lasten", "WBedHui", False, ""),
    ("4400", "Vrijwilligersvergoedingen", "lasten", "WBed", False, ""),
    ("4500", "Ondersteuning", "lasten", "WBed", False, ""),
    ("4900", "Bankkosten", "lasten", "WBed", False, "bank_costs"),
    ("8000", "Subsidie gemeente", "baten", "", False, "grant_income"),
    ("8100", "Donaties", "baten", "", False, ""),
    ("8200", "Bijdragen deelnemers", "baten", "WOmz", False, ""),
]
