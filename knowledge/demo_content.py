"""Demo content for the learning space, written for Buurtkas (not taken from any source).

Each article: (title, kind, visibility, themes, actie, keywords, summary, body).
"""

ARTICLES = [
    (
        "De kascommissie: wat zij wil zien en hoe je het klaarlegt",
        "les",
        "ambtenaren",
        ["geld"],
        ["toerusting"],
        ["kascommissie", "kascontrole"],
        "Twee leden controleren één keer per jaar de boeken. Met een uur voorbereiding gaat "
        "dat vlot en zonder gedoe.",
        """De kascommissie kijkt of het geld is uitgegeven zoals de groep heeft besloten, en of
elke uitgave te volgen is. Ze zoekt geen fouten om de penningmeester te pakken: ze helpt
het bestuur om straks met een gerust hart verantwoording af te leggen.

## Wat ligt er klaar

- het kasboek of de boekingen van het hele jaar;
- de bankafschriften, met het saldo op 31 december;
- een bonnetje of factuur bij elke uitgave;
- de besluiten waarin staat waarvoor geld is vrijgemaakt.

## Wat wij leerden

Bij Hart voor de K-buurt ontbraken in het eerste jaar twaalf bonnetjes. Sindsdien maakt de
penningmeester van elk bonnetje direct een foto in Buurtkas. De controle duurde het jaar
erna drie kwartier.

Spreek vooraf af wanneer de kascommissie klaar moet zijn: ruim voor de jaarvergadering.""",
    ),
    (
        "Een goede kascommissie samenstellen",
        "handleiding",
        "groepen",
        ["geld", "organisatie"],
        ["contacten"],
        ["kascommissie"],
        "Wie vraag je, hoeveel mensen, en hoe lang blijven ze? Een paar vuistregels.",
        """Kies twee mensen die **geen** bestuurslid zijn en geen familie van de penningmeester.
Een derde als reserve voorkomt dat de controle stilvalt als iemand ziek is.

1. Vraag mensen persoonlijk; een oproep in de nieuwsbrief levert zelden iemand op.
2. Leg uit dat het om één avond per jaar gaat.
3. Wissel elk jaar één lid, zodat er altijd iemand is die het al eens deed.

Ervaring leert dat buren die zelf een vereniging of VvE kennen vaak graag helpen.""",
    ),
    (
        "Sjabloon: huishoudelijk reglement voor een bewonersgroep",
        "sjabloon",
        "ambtenaren",
        ["organisatie", "besluiten"],
        ["toerusting", "inbedding"],
        ["huishoudelijk reglement", "quorum", "stemmen"],
        "Een reglement dat je zo kunt overnemen en aanpassen: wie beslist, hoeveel mensen er "
        "moeten zijn, en wie hoeveel mag uitgeven.",
        """Dit sjabloon volgt de regels die je ook in Buurtkas instelt. Vul de getallen in die bij
jullie groep passen.

## Vergaderen

- Een vergadering is geldig als de helft van de leden plus één aanwezig is (quorum).
- Besluiten vallen met gewone meerderheid; bij staken van stemmen beslist de voorzitter niet,
  maar komt het voorstel terug in de volgende vergadering.

## Geld

- De penningmeester mag zonder besluit uitgaven doen tot € 250.
- Daarboven is een besluit van het bestuur nodig, boven € 2.500 van de ledenvergadering.
- Twee bestuursleden tekenen samen voor betalingen boven € 1.000.

## Conflicten

Eerst praten de betrokkenen met elkaar, dan met de voorzitter, dan met een ondersteuner.
Zie ook het artikel over een conflictprotocol.""",
    ),
    (
        "Sjabloon: begroting voor een buurtbudget",
        "sjabloon",
        "ambtenaren",
        ["geld"],
        ["toerusting"],
        ["begroting", "buurtbudget"],
        "Een eenvoudige begroting per activiteit, met een post onvoorzien, die het stadsdeel "
        "in één oogopslag kan lezen.",
        """Een begroting is een plan, geen belofte tot op de cent. Houd hem eenvoudig:

| post | bedrag |
| --- | ---: |
| Activiteiten (per activiteit een regel) | € … |
| Materiaal en huur | € … |
| Vrijwilligersbedankjes | € … |
| Communicatie (flyers, drukwerk) | € … |
| Onvoorzien (5 tot 10 procent) | € … |

Zet bij elke regel in één zin waarvoor het geld is. Wie later de verantwoording schrijft,
is je dankbaar.""",
    ),
    (
        "Sjabloon: verantwoording van een buurtbudget",
        "sjabloon",
        "ambtenaren",
        ["geld", "samenwerken"],
        ["inbedding"],
        ["verantwoording", "subsidie"],
        "Wat het stadsdeel wil weten na afloop: wat is er gedaan, wat kostte het, wat leverde "
        "het op. Met een indeling die je kunt invullen.",
        """## 1. Wat hebben we gedaan?

Per activiteit: wat, wanneer, hoeveel bewoners deden mee.

## 2. Wat kostte het?

De begroting naast de werkelijke uitgaven. Leg verschillen van meer dan 10 procent uit.

## 3. Wat leverde het op?

Wat zeggen bewoners? Een paar citaten en foto's zeggen vaak meer dan cijfers.

## 4. Wat blijft er over?

Geld dat over is, gaat terug of mag volgend jaar gebruikt worden: staat in de beschikking.""",
    ),
    (
        "Bonnetjes bewaren zonder schoenendoos",
        "handleiding",
        "groepen",
        ["geld"],
        ["toerusting"],
        ["bonnetje", "declaratie"],
        "Een foto bij elke uitgave, direct na het betalen. Zo raakt er niets kwijt.",
        """Vraag bij elke uitgave om een bonnetje of factuur op naam van de groep. Maak er meteen
een foto van en voeg die in Buurtkas toe aan de boeking.

Lukt een bonnetje niet (een marktkraam, een fooi)? Schrijf dan een briefje: datum, bedrag,
waarvoor, en laat een tweede persoon tekenen.

Leden die iets voorschieten, dienen een declaratie in. Betaal pas uit als een ander
bestuurslid de declaratie heeft goedgekeurd.""",
    ),
    (
        "Een conflictprotocol voordat je het nodig hebt",
        "les",
        "groepen",
        ["conflicten", "organisatie"],
        ["empathie"],
        ["conflict", "protocol", "bemiddeling"],
        "Afspraken over ruzie maak je als er nog geen ruzie is. Drie stappen die werken.",
        """In bijna elke groep botst het een keer, vaak over geld of over wie beslist. Groepen die
vooraf hebben afgesproken hoe ze een conflict aanpakken, komen er sneller uit.

1. **Praat eerst met elkaar**, binnen een week, met iemand erbij die geen partij is.
2. **Leg het vast** in het conflictenregister: waar gaat het over, wat is afgesproken.
3. **Vraag hulp** als het na een maand niet is opgelost: de ondersteuner kan bemiddelen of
   een onafhankelijke bemiddelaar zoeken.

Bij Bewonersplatform Banne ging een ruzie over de jaarlijkse buurtdag zo niet mis: het
register liet zien dat dezelfde vraag drie keer terugkwam, en het bestuur paste de regels aan.""",
    ),
    (
        "Als bestuursleden niet meer met elkaar praten",
        "les",
        "groepen",
        ["conflicten"],
        ["empathie", "animo"],
        ["conflict", "bestuur"],
        "Wat een groep deed toen voorzitter en penningmeester lijnrecht tegenover elkaar "
        "stonden, en wat zij anders zou doen.",
        """Het begon met een uitgave die de penningmeester niet wilde betalen zonder besluit. De
voorzitter vond dat onzin: het ging om een klein bedrag voor de buurtdag.

Wat hielp: een gesprek met de ondersteuner erbij, waarin beiden vertelden wat ze nodig
hadden. De penningmeester wilde zekerheid bij de kascontrole; de voorzitter wilde snel kunnen
handelen. De oplossing stond al in het reglement: tot € 250 mag het zonder besluit.

Wat ze anders zouden doen: de bestedingsregels bij de start van elk jaar samen doorlezen.""",
    ),
    (
        "Bewoners betrekken die je nooit op een vergadering ziet",
        "les",
        "ambtenaren",
        ["buurt"],
        ["contacten", "animo"],
        ["participatie", "bewoners"],
        "De vaste gezichten beslissen vaak over het geld. Zo bereik je de rest van de buurt.",
        """Een avondvergadering trekt steeds dezelfde mensen. Ga daarom naar de plekken waar
bewoners al komen: het schoolplein, de markt, de moskee, de supermarkt.

- Vraag niet "wat wilt u?", maar "wat zou u hier veranderen als u € 500 had?".
- Neem een kaart van de buurt mee en laat mensen stickers plakken.
- Vertel na een maand wat er met de ideeën is gebeurd; anders komt niemand terug.

Groepen in Zuidoost haalden zo in één zaterdag meer ideeën op dan in een jaar vergaderen.""",
    ),
    (
        "Een wijkraadpleging organiseren: bewoners kiezen",
        "handleiding",
        "ambtenaren",
        ["buurt", "besluiten", "aanvragen"],
        ["contacten"],
        ["wijkraadpleging", "stemmen", "vouchers"],
        "Laat bewoners zelf kiezen welke plannen geld krijgen. Een stappenplan van aankondiging "
        "tot uitslag.",
        """1. Zet de plannen op één rij, elk met een korte beschrijving en een bedrag.
2. Kondig de stemming ruim aan: huis-aan-huis, online en op een briefje bij het buurthuis.
3. Laat stemmen online én op papier, zodat niemand buiten de boot valt.
4. Tel samen met iemand van buiten de groep, en maak de uitslag dezelfde week bekend.

Werkt de groep met waardecheques, dan kunnen bewoners hun cheques samen op een plan zetten.
Zo ontstaan er vaak nieuwe samenwerkingen tussen buren.""",
    ),
    (
        "Samenwerken met het stadsdeel: wie is je vaste contact?",
        "les",
        "ambtenaren",
        ["samenwerken"],
        ["inbedding"],
        ["stadsdeel", "gemeente"],
        "Groepen die één vaste contactpersoon bij het stadsdeel hebben, wachten korter op "
        "antwoorden. Vraag erom.",
        """Een bewonersgroep heeft te maken met subsidie, vergunningen, beheer van de openbare
ruimte en soms handhaving. Dat zijn vaak verschillende afdelingen.

Vraag het stadsdeel om één vaste contactpersoon die de weg kent en de vragen doorzet. Spreek
af hoe snel je antwoord mag verwachten, en nodig die persoon één keer per jaar uit op een
vergadering.

Voor ambtenaren: bewoners zijn geen aanvragers maar partners. Leg uit waarom een regel er is;
dat voorkomt veel wantrouwen.""",
    ),
    (
        "De woningcorporatie als partner",
        "handleiding",
        "groepen",
        ["samenwerken"],
        ["contacten", "inbedding"],
        ["woningcorporatie", "bewonerscommissie", "onderhoud"],
        "Achterstallig onderhoud, een ruimte voor activiteiten, een bijdrage: wat je samen met "
        "de corporatie kunt doen.",
        """Veel buurtplannen raken aan de flat of het complex: een groene binnentuin, een
ontmoetingsruimte, verlichting in de portiek.

- Zoek uit wie de wijkbeheerder van de corporatie is.
- Betrek de bewonerscommissie: zij kent de afspraken met de corporatie al.
- Leg afspraken vast in Buurtkas bij de partners, met wie wat betaalt.

Een corporatie betaalt soms mee als een plan de leefbaarheid verbetert. Vraag het.""",
    ),
    (
        "Een platform van bewonersgroepen in je stadsdeel",
        "les",
        "ambtenaren",
        ["platforms", "samenwerken"],
        ["contacten"],
        ["platform", "VvE", "bewonerscommissie"],
        "Bewonerscommissies, VvE's en bewonersgroepen die elkaar kennen, staan sterker. Zo "
        "begin je een platform.",
        """Een platform is geen nieuwe vereniging, maar een plek waar actieve bewoners elkaar
treffen. Begin klein: twee keer per jaar een avond met een gezamenlijk onderwerp, zoals
zwerfvuil of veiligheid.

- Nodig per groep twee mensen uit.
- Laat elke groep één succes en één probleem vertellen.
- Spreek af wat je samen aan het stadsdeel vraagt.

Groepen leerden zo van elkaar hoe ze hun verantwoording eenvoudiger konden maken.""",
    ),
    (
        "Een aanvraag schrijven die in één keer wordt goedgekeurd",
        "handleiding",
        "ambtenaren",
        ["aanvragen", "geld"],
        ["toerusting"],
        ["aanvraag", "bewonersinitiatief", "subsidie"],
        "Wat een beoordelingscommissie wil lezen: wat, voor wie, wanneer, wat kost het, en wie "
        "doet het.",
        """Een goede aanvraag past op één A4:

- **Wat** ga je doen, in twee zinnen.
- **Voor wie**: welke bewoners, hoeveel ongeveer.
- **Wanneer** en waar.
- **Wat kost het**: een korte begroting, met offertes bij grote posten.
- **Wie** doet het: namen van minstens twee initiatiefnemers.

Schrijf erbij hoe je na afloop laat zien wat het opleverde: een paar foto's en een kort
verslag zijn genoeg.""",
    ),
    (
        "Waarom aanvragen worden afgewezen, en hoe je dat voorkomt",
        "les",
        "groepen",
        ["aanvragen"],
        ["toerusting", "empathie"],
        ["aanvraag", "afwijzing"],
        "De vijf redenen die wij het vaakst zien, van een ontbrekende begroting tot een plan "
        "dat maar voor een paar mensen is.",
        """1. Er staat geen begroting bij, of alleen een totaalbedrag.
2. Het plan is voor een kleine kring en niet open voor de buurt.
3. Er is maar één initiatiefnemer: wat als die uitvalt?
4. Het geld gaat naar iets dat al door een ander wordt betaald.
5. De aanvraag kwam binnen na de sluitingsdatum.

Twijfel je? Laat je aanvraag vooraf lezen door een ondersteuner; dat kost tien minuten.""",
    ),
    (
        "Nieuwe bestuursleden inwerken en taken overdragen",
        "handleiding",
        "groepen",
        ["organisatie"],
        ["animo", "toerusting"],
        ["bestuur", "overdracht", "penningmeester"],
        "Wie stopt, draagt over: wachtwoorden, lopende afspraken en het kasboek. Een lijstje.",
        """Een wissel in het bestuur is het moment waarop kennis verloren gaat. Plan een
overdrachtsgesprek van een uur:

- lopende subsidies en afspraken met partners;
- toegang tot de bankrekening (laat de bank de tekenbevoegdheid aanpassen);
- de stand van de boeken en openstaande declaraties;
- wie in de buurt de vaste contacten zijn.

In Buurtkas leg je de overdracht vast bij de rollen; de toegang gaat dan mee op de dag dat
de termijn wisselt.""",
    ),
    (
        "Vrijwilligers vasthouden: zeg vaker dankjewel",
        "les",
        "groepen",
        ["organisatie", "buurt"],
        ["animo"],
        ["vrijwilligers"],
        "Groepen die hun vrijwilligers zien en bedanken, houden ze langer. Kleine gebaren "
        "werken het best.",
        """Vrijwilligers haken af als ze alleen gevraagd worden als er werk is. Wat werkt:

- na elke activiteit een bericht met een foto en een bedankje;
- één keer per jaar een etentje of uitje, betaald uit het budget (zet het in de begroting);
- mensen een klus geven die bij ze past, niet de klus die over is.""",
    ),
    (
        "Geld uitgeven: wie mag wat beslissen?",
        "les",
        "groepen",
        ["besluiten", "geld"],
        ["toerusting"],
        ["besluit", "bestedingsregels"],
        "Heldere bestedingsregels voorkomen gedoe achteraf. Leg grenzen vast en houd je eraan.",
        """Leg in het reglement vast tot welk bedrag de penningmeester zelf beslist, wanneer het
bestuur een besluit neemt en wanneer de leden. Buurtkas vraagt bij een uitgave boven de grens
om het besluit waarop die steunt.

Een besluit noteer je met datum, bedrag en waarvoor. Publiceer besluiten over geld op de
openbare pagina: zo ziet de buurt waar het geld heen gaat.""",
    ),
    (
        "Notulen die iemand wil lezen",
        "handleiding",
        "groepen",
        ["besluiten", "organisatie"],
        ["toerusting"],
        ["notulen", "vergadering"],
        "Kort, met de besluiten bovenaan. Niemand leest drie kantjes.",
        """Zet bovenaan de besluiten, genummerd. Daaronder per onderwerp in een paar zinnen wat
er besproken is en wie wat gaat doen, met een datum.

Stuur de notulen binnen een week rond. Wat niet in de notulen staat, is niet besloten.""",
    ),
    (
        "Signalen dat een groep vastloopt (voor ondersteuners)",
        "les",
        "ondersteuning",
        ["organisatie", "conflicten"],
        ["animo", "empathie"],
        ["signalen", "coaching"],
        "Intern: waar wij op letten bij een caseload, en wanneer we uit onszelf contact opnemen.",
        """Let op groepen die drie maanden niet vergaderden, waarvan de boekingen stilvallen of
waar steeds dezelfde persoon alles doet. Bel dan uit jezelf, zonder oordeel: "hoe gaat het?"

Neem de eigen regie van de groep serieus. Help bij de volgende stap, neem hem niet over.""",
    ),
]

# (title, kind, themes, author username, group slug or None, anonymous, body, replies, solved)
# replies: (author username, group slug or None, anonymous, body); with `solved` the asker
# marked the last reply as the answer that helped.
POSTS = [
    (
        "Hoe vinden jullie mensen voor de kascommissie?",
        "vraag",
        ["geld"],
        "priscilla",
        "hart-voor-de-k-buurt",
        False,
        "Wij hebben nog maar één lid voor de kascommissie en de jaarvergadering is over "
        "zes weken. Hoe hebben andere groepen dit opgelost?",
        [
            (
                "ingrid",
                "bewonersplatform-banne",
                False,
                "Wij vroegen iemand van de VvE naast het buurthuis. Zij deed het al voor haar VvE "
                "en vond het leuk om ook bij ons te kijken.",
            ),
            (
                "jeroen",
                None,
                False,
                "Tip: vraag persoonlijk en zeg erbij dat het één avond is. In het artikel over de "
                "kascommissie staat een lijstje wat er klaar moet liggen.",
            ),
        ],
        True,
    ),
    (
        "Ruzie in het bestuur over een uitgave",
        "vraag",
        ["conflicten", "besluiten"],
        "henk",
        "bewonersplatform-banne",
        True,
        "Twee bestuursleden zijn het oneens over een uitgave voor de buurtdag. Het loopt "
        "hoog op. Hoe hebben anderen zoiets aangepakt zonder dat de groep uit elkaar valt?",
        [
            (
                "jeroen",
                None,
                False,
                "Kijk eerst wat jullie reglement zegt over uitgaven zonder besluit. Vaak staat het "
                "antwoord er al in. Ik kom graag een keer bij een gesprek zitten.",
            ),
            (
                "fatma",
                "buurtgroep-slotermeer",
                False,
                "Bij ons hielp het om het onderwerp op de agenda van de ledenvergadering te "
                "zetten. Dan beslissen niet twee mensen, maar de groep.",
            ),
        ],
        False,
    ),
    (
        "Onze buurtdag met 400 bezoekers",
        "ervaring",
        ["buurt"],
        "els",
        "buurtgroep-slotermeer",
        False,
        "We hebben dit jaar de buurtdag op het plein gehouden in plaats van in het buurthuis. "
        "Er kwamen vier keer zoveel mensen. Het kostte €1.850, waarvan de helft aan "
        "tentverhuur. Volgend jaar vragen we de woningcorporatie om mee te betalen.",
        [
            (
                "gloria",
                "hart-voor-de-k-buurt",
                False,
                "Mooi! Hoe hebben jullie de vergunning geregeld? Dat duurde bij ons erg lang.",
            ),
        ],
        False,
    ),
]
