"""A small French synonym list for the cards of territorial foresight seminars.

Each line is one *concept*: words that people at different tables write for the same thing
("médecins", "généralistes", "soins"). The first word names the concept (shown as a group's
label, and in "words they share"). Words are given as people write them; they are reduced
to the same folded Snowball stems as the cards (``workshop.dedup.text.stem``), so one form
per word is usually enough.

An entry of several words is written with underscores ("gaz_à_effet_de_serre",
"en_ligne"): those words, in that order, become the concept; it is matched before single
words, and longer entries first.

Only words whose meaning is unambiguous on a seminar card belong here: "culture" is not
listed (crops or the arts?), nor "trafic" (roads, planes or drugs). A word in two lines
keeps the first. The list was written from general knowledge of the domain and the
*tuning* walls of ``bench/data/dedup-cards.yaml`` only (see bench/dedup_benchmark.py).
"""

from __future__ import annotations

CONCEPTS: tuple[str, ...] = (
    # health: care and doctors, apart from health in general ("santé des habitants")
    "médecin médecins médical médicale médicaux généraliste généralistes soin soins docteur praticien "
    "praticiens spécialiste spécialistes ophtalmologue",
    # less of something: the threat phrasing of "X disappears"
    "baisse manque pénurie absence insuffisance déficit désert désertification disparition disparaître "
    "fermeture fermer perte recul déclin diminution suppression raréfaction effondrement délocalisation "
    "délocaliser",
    "hausse flambée flamber explosion augmentation envolée renchérissement",
    "prix coût coûts cherté facture factures tarif lourd lourdes",
    "abordable abordables peu_cher bon_marché",
    "commerce commerces commercial commerciale commerçant commerçants boutique boutiques magasin magasins vitrine "
    "vitrines",
    "village villages bourg bourgs hameau hameaux rural rurale ruraux campagne",
    "ville villes urbain urbaine agglomération agglomérations métropole",
    "centre cœur",
    "jeune jeunes jeunesse étudiant étudiants adolescent adolescents ado ados",
    "aînés personnes_âgées âgé âgées senior seniors vieillissement vieillir vieillissante vieux retraité retraités "
    "ehpad maison_de_retraite maisons_de_retraite",
    "départ exode fuite partir quitter dépeuplement dépopulation dépeuplé dépeuplés déclin_démographique",
    "sécheresse sécheresses aridité manque_d'eau",
    "eau eaux nappe nappes captage captages aquifère eau_douce",
    "pollution pollué polluée pollués polluant pesticide pesticides nitrate nitrates contamination contaminé "
    "contaminés",
    "inondation inondations crue crues débordement déborder ruissellement",
    # the sea rising, apart from rivers overflowing
    "submersion submersions submersion_marine montée_des_eaux montée_de_la_mer montée_des_océans niveau_de_la_mer "
    "niveau_des_mers niveau_marin",
    "boue boues boueux boueuse boueuses",
    "voiture voitures automobile automobiles auto véhicule",
    "carburant carburants essence gazole diesel fioul",
    "carbone décarboner décarbonation co2 gaz_à_effet_de_serre effet_de_serre ges",
    "énergie énergies énergétique énergétiques thermique thermiques électricité gaz chauffage",
    "vélo vélos cyclable cyclables cycliste cyclistes bicyclette véloroute piste pistes voie_verte voies_vertes "
    "mobilité_douce",
    "bus autobus autocar navette navettes tram tramway transport_en_commun transports_en_commun transport_à_la_demande",
    "train trains ter rer ferroviaire gare gares sncf chemin_de_fer",
    "logement logements habitat loger hlm domicile",
    "rénovation rénover isolation isoler réhabilitation réhabiliter renouvellement_urbain anru",
    "haie haies bocage bocager bocagère",
    "agriculteur agriculteurs exploitant exploitants exploitation exploitations ferme fermes paysan paysans "
    "éleveur éleveurs producteur producteurs maraîcher maraîchers",
    "reprise repreneur repreneurs transmettre transmission installation installer succession",
    "emploi emplois chômage chômeur chômeurs travail travailler embauche insertion_professionnelle licenciement "
    "licenciements",
    "recrutement recruter main_d'œuvre",
    "diplôme diplômes diplômé diplômés qualifié qualifiés qualification",
    "industrie industries industriel industrielle industriels usine usines désindustrialisation",
    "réindustrialisation réindustrialiser relocaliser relocalisation",
    "décrochage décrochage_scolaire abandon_scolaire",
    "école écoles classe classes scolaire collège collèges lycée lycées",
    "formation formations former apprentissage apprenti apprentis alternance",
    "enfance petite_enfance crèche crèches assistante_maternelle assistantes_maternelles garde_d'enfants mode_de_garde "
    "modes_de_garde",
    "université universitaire campus enseignement_supérieur",
    "habitant habitants citoyen citoyens population résident résidents",
    "participer participation participative participatif associer impliquer concertation concerter démocratie "
    "donner_la_parole conseil_de_quartier conseils_de_quartier conseil_citoyen conseils_citoyens budget_participatif",
    "décision décisions décider choix",
    "défiance méfiance abstention désengagement désintérêt",
    "numérique internet digital informatique ordinateur ordinateurs connexion dématérialisation illectronisme "
    "en_ligne",
    "démarche démarches administratif administratives",
    "fibre débit très_haut_débit haut_débit",
    "artificialisation artificialiser bétonisation béton étalement urbanisation lotissement lotissements "
    "grignoter zan sobriété_foncière consommation_d'espaces consommer_de_terres",
    "terre terres champ champs",
    "foncier terrain terrains",
    "biodiversité espèce espèces faune flore insecte insectes oiseau oiseaux",
    "chaleur canicule canicules chaud chaudes brûlant",
    "arbre arbres végétal végétaliser végétalisation renaturer renaturation verdir fraîcheur espaces_verts",
    "tourisme touriste touristes touristique touristiques visiteur visiteurs vacancier vacanciers estivant "
    "estivants écotourisme",
    "randonnée randonnées rando promenade promenades balade balades sentier sentiers chemin chemins circuit "
    "circuits",
    "patrimoine monument monuments église églises colombage colombages architectural architecturale historique "
    "bâti pans_de_bois mémoire histoire",
    "lait laitier laitiers fromage fromages fromager",
    "association associations associatif associative bénévole bénévoles bénévolat",
    "actif active actifs actives dynamique engagé engagés mobilisé mobilisés motivé motivés volontaire volontaires",
    "entraide solidarité solidaire",
    "isolement isolé isolés solitude repli individualisme",
    "génération générations intergénérationnel",
    "spectacle spectacles théâtre concert concerts festival festivals culturel culturelle scène",
    "sport sports sportif sportifs sportive sportives",
    "service services poste mairie mairies guichet services_publics france_services",
    "déchet déchets ordure ordures détritus plastique plastiques macro-déchets",
    "réemploi recyclage recycler ressourcerie ressourceries circulaire",
    "renouvelable renouvelables enr",
    "solaire photovoltaïque photovoltaïques panneau panneaux",
    "éolien éolienne éoliennes",
    "rejet rejeter refus refuser opposition contestation contester hostilité mal_accepté mal_acceptés "
    "mal_acceptée mal_acceptées",
    "climat climatique réchauffement dérèglement",
    "embouteillage embouteillages bouchon bouchons bouché bouchée bouchées congestion saturation_du_trafic",
    "avion avions aérien aérienne aéroport",
    "bruit bruits sonore sonores",
    "insécurité délinquance drogue incivilité incivilités vandalisme cambriolage cambriolages",
    "pauvreté pauvre pauvres précarité précaire précaires modeste modestes démuni démunis rsa minima_sociaux",
    "ménage ménages famille familles foyer foyers",
    "alimentation alimentaire nourriture repas",
    "restauration cantine cantines restaurant restaurants",
    "local locaux locale locales proximité circuit_court circuits_courts vente_directe vente_à_la_ferme",
    "bio biologique agroécologie",
    "mobilité mobilités déplacement déplacements transport transports trajet trajets",
    "covoiturage covoiturer autopartage",
    "relier désenclaver désenclavement enclavé enclavée enclavement liaison liaisons desservir desserte",
    "lien liens cohésion convivialité lien_social vivre_ensemble",
    "mixité mélanger mélange brassage",
    "cadre_de_vie qualité_de_vie",
    "attente délai délais",
    "innovation innovant innovante innovantes innovants start-up startup",
    "ess économie_sociale_et_solidaire",
    "friche friches abandonné abandonnés abandonnées reconvertir reconversion",
    "mer marin marine maritime littoral côte côtier côtière trait_de_côte",
    "érosion éroder",
    "plage plages dune dunes",
    "pêche pêcheur pêcheurs pêche_à_pied",
    "port ports portuaire",
    "saison saisons saisonnier saisonniers saisonnière saisonnières estival estivale été juillet août",
    "fréquentation surfréquentation surtourisme affluence foule",
    "résidence_secondaire résidences_secondaires meublé meublés location_touristique locations_touristiques airbnb",
    "immobilier acheter achat loyers",
    "image réputation notoriété renommée",
    "forêt forêts forestier forestiers massif_forestier massifs_forestiers bois sylviculture",
    "rivière rivières berge berges cours_d'eau fleuve",
    "fret fluvial canal marchandise marchandises péniche péniches",
    "retard retards fiable fiabilité panne pannes",
    "logistique entrepôt entrepôts",
    "insalubre insalubres insalubrité marchand_de_sommeil marchands_de_sommeil indigne indignes",
    "classe_moyenne classes_moyennes aisé aisés",
    "air atmosphérique atmosphère",
    "nature naturel naturels naturelle naturelles naturaliste naturalistes environnement environnemental écosystème "
    "écosystèmes milieu_naturel milieux_naturels",
    "sensibiliser sensibilisation éducation éduquer pédagogie",
    "coopération coopérer coopérant travailler_ensemble mutualiser mutualisation",
    "précarité_énergétique passoire passoires",
    # written from general knowledge of territorial foresight (any French territory), not from the walls
    "hôpital hôpitaux hospitalier hospitalière urgences maternité maternités clinique",
    "santé sanitaire",
    "entreprise entreprises employeur employeurs pme tpe artisan artisans artisanat",
    "vacant vacants vacante vacantes vide vides inoccupé inoccupés inoccupée inoccupées",
    "revitaliser revitalisation redynamiser redynamisation dynamiser redonner_vie",
    "attractivité attractif attractive attractifs attractives attirer",
    "quartier quartiers qpv cité cités banlieue banlieues",
    "élu élus maire maires conseil_municipal conseillers_municipaux",
    "élection élections vote voter électeur électeurs",
    "commune communes municipalité municipalités intercommunalité intercommunalités",
    "nucléaire centrale_nucléaire centrales_nucléaires",
    "sidérurgie sidérurgique acier aciérie aciéries métallurgie métallurgique haut_fourneau hauts_fourneaux",
    "sol sols sous-sol",
    "tempête tempêtes intempéries événements_extrêmes",
    "incendie incendies feux_de_forêt",
    "route routes routier routière routiers routières autoroute autoroutes",
    "fréquence fréquences fréquent fréquents cadencement cadence",
    "élevage élevages bétail bovin bovins vache vaches troupeau troupeaux",
    "produits_de_la_mer fruits_de_mer poisson poissons coquillage coquillages moule moules coque coques huître "
    "huîtres",
    "paris capitale parisien parisienne parisiens île-de-france",
    "téléphonie téléphone 4g 5g zones_blanches zone_blanche réseau_mobile",
    "handicap handicaps handicapé handicapés handicapée handicapées pmr",
    "méthanisation méthaniseur méthaniseurs biogaz",
    "télétravail télétravailler coworking tiers-lieu tiers-lieux",
    "médiathèque médiathèques bibliothèque bibliothèques",
    "hébergement hébergements camping campings gîte gîtes hôtel hôtels",
    "seveso risque_industriel risques_industriels accident_industriel accidents_industriels",
    "addiction addictions alcool alcoolisme",
    "santé_mentale psychiatrie psychiatrique psychologue psychologues",
    "piéton piétons piétonne piétonnes piétonnier piétonniers piétonnisation",
    "stationnement stationner parking parkings",
    "paysage paysages paysager paysagère panorama",
)
