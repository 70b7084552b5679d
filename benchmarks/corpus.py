"""A generated corpus of texts in es, pt, en and fr, made to measure search at real sizes.

No real article is used: every text is drawn from word material written here (function
words, nouns, adjectives, verbs of each language) grown by the language's own morphology
(plurals, gender, verb endings, derivations, prefixes and compounds), plus loanwords,
place and person names made of syllables, acronyms and numbers. Words are drawn with a
Zipf-like law over lemmas, so a few thousand articles already hold tens of thousands of
distinct words and the vocabulary keeps growing with the corpus, as in real text; each
article repeats its own subject words (the ones its title is made of, a person, a place),
because real articles do and ranking depends on it.

    import sys; sys.path.insert(0, "benchmarks")   # or: from benchmarks.corpus import ...
    from corpus import entries
    texts = entries(10_000)   # a list of search.index.Entry, the same for the same seed

Everything is seeded: the same count and seed give the same texts on every machine.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from search.index import Entry  # noqa: E402

# Share of the articles written in each language.
SHARES = {"es": 0.40, "pt": 0.25, "en": 0.20, "fr": 0.15}
ORGS = 200
FIRST_DAY = date(2006, 1, 1)
YEARS = 20
# Share of running words by kind, roughly what news-like text shows.
FUNCTION_SHARE = 0.42
NAME_SHARE = 0.04
NUMBER_SHARE = 0.015
# Rare words, drawn with a Zipf law over a million ranks: they make the vocabulary grow
# with the corpus (about as the square root of its length, as Heaps' law has it).
TAIL_SHARE, TAIL_TYPES, TAIL_EXPONENT = 0.08, 1_000_000, 1.05
# The rest are content words: nouns, adjectives, verbs and what they grow into. Titles are
# about the commoner ones (the first SUBJECT_LEMMAS, with flattened weights).
SUBJECT_LEMMAS, SUBJECT_FLATTENING = 1200, 0.8
SUMMARY_WORDS = (18, 32)
BODY_MEDIAN, BODY_SPREAD, BODY_RANGE = 360, 0.6, (150, 1500)
# Share of an article's words that are its own subject words.
SUBJECT_SHARE = 0.07
TOPICS = yaml.safe_load((ROOT / "content/topics.yaml").read_text(encoding="utf-8"))


# --- Word material, written for this corpus -------------------------------------------

SPANISH = {
    "function": """
        de la que el en y a los las del se un una por con no para su es al lo como más o
        pero sus le ha si sin sobre este ya entre cuando todo esta ser son también fue
        había era muy hasta desde está porque han hay vez puede todos así nos ni tiene
        donde bien mismo ese ahora cada otro después otros aunque esa eso hace otra tan
        durante siempre tanto ella según menos antes contra sino poco estos mucho mientras
        además quien esto pues hoy todas debe casi toda tal luego tras cual fueron ellos
        ellas nuestra nuestro nuestras nuestros algunos algunas muchas muchos hacia ante
        les allí aquí dos tres cuatro cinco seis diez cien mil primera primer""",
    "nouns": """
        agua tierra semilla río comunidad escuela mujer trabajo cooperativa asamblea
        territorio bosque cosecha mercado radio salud derecho lucha barrio vivienda campo
        maíz papa café cacao pesca montaña valle lago mar costa selva ciudad pueblo
        familia niña niño joven abuela maestra médica partera tejido artesanía música
        fiesta memoria historia idioma lengua palabra canto danza taller encuentro marcha
        reunión campaña red colectivo sindicato gremio federación consejo cabildo
        resguardo comuna minga feria trueque huerta huerto chacra parcela finca ganado
        oveja llama alpaca gallina abeja miel lana algodón hilo telar olla cocina comida
        pan leche queso fruta árbol planta hoja raíz flor lluvia sequía inundación clima
        sol viento energía luz camino puente carretera camión bicicleta mina petróleo
        represa basura plástico deuda precio salario empleo ley norma tribunal juicio
        denuncia violencia paz guerra frontera refugio albergue hospital vacuna medicina
        hierba remedio enfermedad cuidado crianza lectura biblioteca libro periódico
        boletín revista emisora programa noticia voz imagen video fotografía archivo mapa
        censo encuesta informe presupuesto fondo proyecto plan propuesta acuerdo convenio
        alianza diálogo mesa gobierno municipio alcaldía ministerio estado empresa patrón
        dueño obrero campesino pescador vecino líder vocera dirigente autoridad anciano
        sabedora guardia juventud infancia vejez género identidad cuerpo tiempo año mes
        semana día noche mañana tarde hora momento lugar casa puerta calle plaza parque
        patio techo pared ladrillo barro madera piedra arena semillero cántaro canoa
        balsa muelle puerto sendero quebrada laguna páramo humedal manglar cerro""",
    "adjectives": """
        nuevo viejo grande pequeño largo corto alto bajo limpio sucio propio común
        comunitario popular rural urbano indígena campesino local regional nacional
        público privado colectivo solidario justo libre digno sano fuerte débil rico pobre
        seco húmedo frío caliente verde rojo negro blanco azul amarillo antiguo moderno
        tradicional ancestral sagrado diverso social político económico cultural
        ambiental agrícola forestal educativo sanitario legal internacional barrial
        vecinal femenino juvenil alimentario minero pesquero textil artesanal sonoro
        abierto cerrado difícil fácil importante necesario posible último seguro lento
        rápido oscuro claro""",
    "verbs": """
        organizar defender cuidar sembrar cosechar compartir luchar reunir escribir leer
        hablar escuchar cantar bailar tejer cocinar vender comprar cambiar construir vivir
        trabajar aprender enseñar caminar marchar denunciar exigir proteger recuperar
        conservar producir distribuir publicar grabar transmitir informar celebrar
        recordar conversar decidir votar elegir proponer acordar firmar apoyar acompañar
        ayudar visitar llegar salir entrar subir bajar llevar traer pedir recibir crear
        formar capacitar investigar documentar medir contar regar plantar limpiar
        reciclar reparar pintar dibujar jugar nadar pescar criar alimentar sanar curar
        nacer crecer migrar regresar resistir ocupar habitar negociar reclamar participar
        convocar invitar agradecer preparar guardar abrir cerrar terminar empezar mirar
        buscar encontrar""",
    "prefixes": "re des co pre auto contra inter sub anti sobre multi",
    "combining": "agro eco etno socio bio geo hidro tele foto micro macro psico afro neo",
    "first": "Ro Ma Lu Ce Da Fe Gra Ja Li Mi Na Pa Sa Te Vi Yo Al Ben Cris Es Hor Mar Os Ra",
    "middle": "ri le na si mi ta be ci lo de ve ga ra du sa",
    "first_end": "a o ina ela isa ana ino elo ián ando esto encia",
    "surname_end": "ez es ero illa ón ales eda ares uela ina ado ete",
    "place_before": "San Santa Villa Puerto Nueva Alto Bajo",
    "org_kinds": """Colectivo Red Asociación Cooperativa Radio Casa Federación Movimiento
        Unión Coordinadora Escuela Fundación Mesa Comité Cabildo Consejo Centro Frente""",
    "org_subjects": [
        "de Mujeres",
        "del Campo",
        "de Semillas",
        "del Agua",
        "de Tejedoras",
        "de Pescadores",
        "de Jóvenes",
        "de Salud",
        "de Defensa Territorial",
        "de Productores",
        "de Vivienda",
        "de Comunicación",
        "de Parteras",
        "de Recicladoras",
        "de Huertas",
        "de Maestras",
    ],
    "joiners": "de en y para con del por contra sin sobre la el los las",
}

PORTUGUESE = {
    "function": """
        de a o que e do da em um para é com não uma os no se na por mais as dos como mas
        foi ao ele das tem à seu sua ou ser quando muito há nos já está também só pelo
        pela até isso ela entre era depois sem mesmo aos ter seus quem nas esse eles estão
        foram essa num nem suas às têm numa pelos elas havia seja qual será nós lhe deles
        essas esses pelas este dele dela esta estes estas aquele aquela isto estava
        sobre contra durante cada todo toda todos todas ainda onde porque então assim
        agora aqui ali hoje dois três quatro cinco dez cem mil primeira primeiro""",
    "nouns": """
        água terra semente rio comunidade escola mulher trabalho cooperativa assembleia
        território floresta colheita mercado rádio saúde direito luta bairro moradia campo
        milho mandioca café cacau pesca montanha vale lago mar costa mata cidade povo
        família menina menino jovem avó professora médica parteira tecido artesanato
        música festa memória história idioma língua palavra canto dança oficina encontro
        marcha reunião campanha rede coletivo sindicato federação conselho aldeia
        quilombo roça feira troca horta quintal lote sítio gado ovelha galinha abelha mel
        lã algodão fio tear panela cozinha comida pão leite queijo fruta árvore planta
        folha raiz flor chuva seca enchente clima sol vento energia luz caminho ponte
        estrada caminhão bicicleta mina petróleo barragem lixo plástico dívida preço
        salário emprego lei norma tribunal julgamento denúncia violência paz guerra
        fronteira abrigo hospital vacina remédio erva doença cuidado leitura biblioteca
        livro jornal boletim revista emissora programa notícia voz imagem vídeo
        fotografia arquivo mapa censo pesquisa relatório orçamento fundo projeto plano
        proposta acordo convênio aliança diálogo mesa governo município prefeitura
        ministério estado empresa patrão dono operário camponês pescador vizinho líder
        dirigente autoridade ancião juventude infância velhice gênero identidade corpo
        tempo ano mês semana dia noite manhã tarde hora momento lugar casa porta rua
        praça parque quintal telhado parede tijolo barro madeira pedra areia canoa
        jangada porto trilha córrego lagoa várzea manguezal morro sertão cerrado""",
    "adjectives": """
        novo velho grande pequeno longo curto alto baixo limpo sujo próprio comum
        comunitário popular rural urbano indígena camponês local regional nacional
        público privado coletivo solidário justo livre digno sadio forte fraco rico pobre
        seco úmido frio quente verde vermelho negro branco azul amarelo antigo moderno
        tradicional ancestral sagrado diverso social político econômico cultural
        ambiental agrícola florestal educativo sanitário legal internacional feminino
        juvenil alimentar mineiro pesqueiro têxtil artesanal sonoro aberto fechado
        difícil fácil importante necessário possível último seguro lento rápido escuro
        claro quilombola ribeirinho""",
    "verbs": """
        organizar defender cuidar semear colher compartilhar lutar reunir escrever ler
        falar escutar cantar dançar tecer cozinhar vender comprar mudar construir viver
        trabalhar aprender ensinar caminhar marchar denunciar exigir proteger recuperar
        conservar produzir distribuir publicar gravar transmitir informar celebrar
        lembrar conversar decidir votar eleger sugerir acordar assinar apoiar acompanhar
        ajudar visitar chegar sair entrar subir descer levar trazer pedir receber criar
        formar capacitar pesquisar documentar medir contar regar plantar limpar reciclar
        consertar pintar desenhar brincar nadar pescar criar alimentar curar nascer
        crescer migrar voltar resistir ocupar habitar negociar reclamar participar
        convocar convidar agradecer preparar guardar abrir fechar terminar começar olhar
        buscar encontrar""",
    "prefixes": "re des co pré auto contra inter sub anti sobre multi",
    "combining": "agro eco etno sócio bio geo hidro tele foto micro macro psico afro neo",
    "first": "Ro Ma Lu Ce Da Fe Gra Ja Li Mi Na Pa Sa Te Vi Jo Al Ben Cris Es Hel Mar Os Ra",
    "middle": "ri le na si mi ta be ci lo de ve ga ra du sa",
    "first_end": "a o inha ela isa ana inho elo ão ando iane ênia",
    "surname_end": "eira eiro ões ado ares ano inho ota ella udo ães ês",
    "place_before": "São Santa Vila Porto Nova Alto Boa",
    "org_kinds": """Coletivo Rede Associação Cooperativa Rádio Casa Federação Movimento
        União Coordenação Escola Fundação Comitê Conselho Centro Frente Núcleo Fórum""",
    "org_subjects": [
        "de Mulheres",
        "do Campo",
        "de Sementes",
        "da Água",
        "de Tecelãs",
        "de Pescadores",
        "de Jovens",
        "de Saúde",
        "de Defesa Territorial",
        "de Produtores",
        "de Moradia",
        "de Comunicação",
        "de Parteiras",
        "de Catadoras",
        "de Hortas",
        "de Professoras",
    ],
    "joiners": "de em e para com do da por contra sem sobre a o os as no na",
}

ENGLISH = {
    "function": """
        the of and to in a is that for it with as was on be by are this from at or their
        have an they which not we but has were our its all will more been who about can
        one when also them there into these other than two after some many most over
        only would new could her his she he what so out up if no how any then such may
        should through those because both each while where between before during three
        under against among since until very still just even well here now four five ten
        hundred thousand first""",
    "nouns": """
        water land seed river community school woman work cooperative assembly territory
        forest harvest market radio health right struggle neighbourhood housing field
        corn cassava coffee cocoa fishing mountain valley lake sea coast jungle city
        village family girl boy youth grandmother teacher doctor midwife weaving craft
        music festival memory history language word song dance workshop meeting march
        gathering campaign network collective union federation council reserve commune
        fair barter garden orchard plot farm cattle sheep llama alpaca hen bee honey wool
        cotton thread loom pot kitchen food bread milk cheese fruit tree plant leaf root
        flower rain drought flood climate sun wind energy light road bridge highway truck
        bicycle mine oil dam waste plastic debt price wage job law rule court trial
        complaint violence peace war border shelter hospital vaccine medicine herb remedy
        illness care reading library book newspaper bulletin magazine station programme
        news voice picture video photograph archive map census survey report budget fund
        project plan proposal agreement alliance dialogue table government municipality
        ministry state company employer owner worker farmer fisher neighbour leader
        spokeswoman authority elder guard childhood age gender identity body time year
        month week day night morning afternoon hour moment place house door street square
        park yard roof wall brick clay wood stone sand canoe raft pier port trail stream
        lagoon wetland mangrove hill hillside nursery""",
    "adjectives": """
        new old big small long short high low clean dirty own common communal popular
        rural urban indigenous peasant local regional national public private collective
        fair free decent healthy strong weak rich poor dry wet cold hot green red black
        white blue yellow ancient modern traditional ancestral sacred diverse social
        political economic cultural environmental agricultural educational legal
        international female young mining textile artisanal open closed difficult easy
        important necessary possible last safe slow quick dark clear quiet loud""",
    "verbs": """
        organize defend care sow harvest share fight gather write read speak listen sing
        dance weave cook sell buy change build live work learn teach walk march denounce
        demand protect recover conserve produce distribute publish record broadcast
        inform celebrate remember talk decide vote elect propose agree sign support
        accompany help visit arrive leave enter climb descend carry bring ask receive
        create train investigate document measure count water plant clean recycle repair
        paint draw play swim fish raise feed heal cure grow migrate return resist occupy
        inhabit negotiate claim participate convene invite thank prepare keep open close
        finish start look search find translate cultivate mobilize""",
    "prefixes": "re un co pre over under out counter inter sub anti multi",
    "combining": "agro eco ethno socio bio geo hydro tele photo micro macro psycho afro neo",
    "first": "Ash Bren Cal Dor El Gwen Har Jes Kel Lor Mer Nor Ros Shel Tam Wil Ad Bet Ed Jo",
    "middle": "a e i o ri le na",
    "first_end": "ley ton a en ie by ard ora ette win elle",
    "surname_end": "ford wood son er well ham by ton more ley field",
    "place_before": "Port Saint New Upper Lower",
    "org_kinds": """Collective Network Association Cooperative Radio House Federation
        Movement Union Council School Foundation Committee Centre Front Forum Alliance""",
    "org_subjects": [
        "of Women",
        "of the Countryside",
        "for Seeds",
        "for Water",
        "of Weavers",
        "of Fishers",
        "of Youth",
        "for Health",
        "for Land Defence",
        "of Growers",
        "for Housing",
        "for Community Media",
        "of Midwives",
        "of Waste Pickers",
        "of Gardeners",
        "of Teachers",
    ],
    "joiners": "of in and for with the a on against without over to from",
}

FRENCH = {
    "function": """
        de la le et les des à en un une du que est pour qui dans par sur au pas plus ne se
        ce il elle sont avec ont son sa ses leur leurs nous vous ils elles mais ou aux
        comme été être fait cette tout tous toutes aussi entre depuis sans sous après
        avant chez très bien encore même déjà alors donc si y où lors dont ces ceux celle
        celles notre nos votre vos on lui avait était sera peut doit deux trois quatre
        cinq dix cent mille première premier""",
    "nouns": """
        eau terre semence rivière communauté école femme travail coopérative assemblée
        territoire forêt récolte marché radio santé droit lutte quartier logement champ
        maïs manioc café cacao pêche montagne vallée lac mer côte ville village famille
        fille garçon jeunesse grand-mère institutrice médecin sage-femme tissage artisanat
        musique fête mémoire histoire langue parole chant danse atelier rencontre marche
        réunion campagne réseau collectif syndicat fédération conseil commune foire troc
        jardin verger parcelle ferme bétail mouton poule abeille miel laine coton fil
        métier marmite cuisine nourriture pain lait fromage fruit arbre plante feuille
        racine fleur pluie sécheresse inondation climat soleil vent énergie lumière
        chemin pont route camion vélo mine pétrole barrage déchet plastique dette prix
        salaire emploi loi règle tribunal procès plainte violence paix guerre frontière
        abri hôpital vaccin médicament herbe remède maladie soin lecture bibliothèque
        livre journal bulletin revue émission programme nouvelle voix image vidéo
        photographie archive carte recensement enquête rapport budget fonds projet plan
        proposition accord alliance dialogue table gouvernement municipalité mairie
        ministère état entreprise patron propriétaire ouvrier paysan pêcheur voisin
        dirigeant autorité ancien enfance vieillesse genre identité corps temps année
        mois semaine jour nuit matin soir heure moment lieu maison porte rue place parc
        cour toit mur brique argile bois pierre sable pirogue radeau quai port sentier
        ruisseau lagune marais mangrove colline pépinière""",
    "adjectives": """
        nouveau vieux grand petit long court haut bas propre sale commun communautaire
        populaire rural urbain autochtone paysan local régional national public privé
        collectif solidaire juste libre digne sain fort faible riche pauvre sec humide
        froid chaud vert rouge noir blanc bleu jaune ancien moderne traditionnel
        ancestral sacré divers social politique économique culturel environnemental
        agricole forestier éducatif sanitaire légal international féminin jeune minier
        textile artisanal sonore ouvert fermé difficile facile important nécessaire
        possible dernier sûr lent rapide sombre clair créole""",
    "verbs": """
        organiser défendre soigner semer récolter partager lutter réunir écrire lire
        parler écouter chanter danser tisser cuisiner vendre acheter changer construire
        vivre travailler apprendre enseigner marcher dénoncer exiger protéger récupérer
        conserver produire distribuer publier enregistrer transmettre informer célébrer
        rappeler discuter décider voter élire proposer accorder signer appuyer
        accompagner aider visiter arriver sortir entrer monter descendre porter apporter
        demander recevoir créer former enquêter documenter mesurer compter arroser
        planter nettoyer recycler réparer peindre dessiner jouer nager pêcher élever
        nourrir guérir naître grandir migrer revenir résister occuper habiter négocier
        réclamer participer convoquer inviter remercier préparer garder ouvrir fermer
        terminer commencer regarder chercher trouver cultiver mobiliser""",
    "prefixes": "re dé co pré auto contre inter sous anti sur multi",
    "combining": "agro éco ethno socio bio géo hydro télé photo micro macro psycho afro néo",
    "first": "Mar Ger Hé Jo Lou Ma Pier Syl Cla Do Éti Fran Gi Ro Al Ber Co Lé Na Thé",
    "middle": "ri lé na si mi ta be ci lo de",
    "first_end": "ette ine elle ien and eau ard e ine ise in",
    "surname_end": "ier eau ard ot in et ault oux ais ac on",
    "place_before": "Saint Sainte Port Morne Anse Bois",
    "org_kinds": """Collectif Réseau Association Coopérative Radio Maison Fédération
        Mouvement Union Coordination École Fondation Comité Conseil Centre Front Forum""",
    "org_subjects": [
        "des Femmes",
        "des Campagnes",
        "des Semences",
        "de l'Eau",
        "des Tisserandes",
        "des Pêcheurs",
        "des Jeunes",
        "de la Santé",
        "pour la Terre",
        "des Producteurs",
        "pour le Logement",
        "des Radios Libres",
        "des Sages-Femmes",
        "des Recycleuses",
        "des Jardins",
        "des Enseignantes",
    ],
    "joiners": "de en et pour avec du par contre sans sur la le les des à au",
}

MATERIAL = {"es": SPANISH, "pt": PORTUGUESE, "en": ENGLISH, "fr": FRENCH}


def listed(text: str) -> list[str]:
    return text.split()


# Syllables of place names and loanwords: Andean, Amazonian, Guaraní-like and Caribbean
# sounds, combined at random (no real place is meant).
PLACE_START = listed("""Huan Quilla Yana Pacha Cusi Tupa Ita Yvy Ara Mara Coro Toto Chaca Rumi
    Sacha Pira Ibi Cara Tapi Jagua Anda Colo Naru Ayllu Uru Tiqui Choque Cama Puca Misi
    Oco Capi Tara Mbo Pora Jeju Caci Maya Xochi Tena Bari Guaya Cuma""")
SYLLABLES = listed("""ta ki pa chu ya hua ri ma qui ña po ti cu ru sa mi ka ju ra pe yvy mbo gua
    tu co ni la wa chi ay pi ho ca to mé ja ré pu na cha ke sun qa""")
PLACE_END = listed("""pampa marca cocha bamba yacu ra tinga guazu po cay huasi tuba pora hue
    quiri tepec mayo cancha puquio ri tay ba rapé lí tuyú ocha mbí nagua""")


# --- Morphology ------------------------------------------------------------------------

VOWELS = "aeiouáéíóúâêôãõàü"
ACUTE = str.maketrans("áéíóú", "aeiou")


def unaccent_last(word: str) -> str:
    """`camión` → `camion`: Spanish drops the written accent when a plural adds a syllable."""
    for i in range(len(word) - 1, -1, -1):
        if word[i] in "áéíóú":
            return word[:i] + word[i].translate(ACUTE) + word[i + 1 :]
        if word[i] in VOWELS:
            return word
    return word


def es_plural(word: str) -> str:
    if word[-1] in VOWELS:
        return word + "s"
    if word.endswith("z"):
        return word[:-1] + "ces"
    if word.endswith("s"):
        return word
    return unaccent_last(word) + "es"


def pt_plural(word: str) -> str:
    if word.endswith("ão"):
        return word[:-2] + "ões"
    if word.endswith("m"):
        return word[:-1] + "ns"
    for end, plural in (("al", "ais"), ("el", "éis"), ("ol", "óis"), ("ul", "uis"), ("il", "is")):
        if word.endswith(end):
            return word[: -len(end)] + plural
    if word[-1] in "rz":
        return word + "es"
    if word.endswith("ês"):
        return word[:-2] + "eses"
    if word.endswith("s"):
        return word
    return word + "s"


def en_plural(word: str) -> str:
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def fr_plural(word: str) -> str:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "eu")):
        return word + "x"
    return word + "s"


PLURAL = {"es": es_plural, "pt": pt_plural, "en": en_plural, "fr": fr_plural}


def noun_forms(lang: str, word: str) -> list[tuple[str, float]]:
    forms = [(word, 0.62), (PLURAL[lang](word), 0.36)]
    if lang == "en":
        forms.append((word + "'s", 0.02))
    return forms


def adjective_forms(lang: str, word: str) -> list[tuple[str, float]]:
    """Masculine, feminine and their plurals (English adjectives have one form)."""
    if lang == "en":
        return [(word, 1.0)]
    if lang == "fr":
        for end, forms in (
            ("if", ("if", "ive", "ifs", "ives")),
            ("eux", ("eux", "euse", "eux", "euses")),
            ("al", ("al", "ale", "aux", "ales")),
            ("el", ("el", "elle", "els", "elles")),
            ("ien", ("ien", "ienne", "iens", "iennes")),
            ("ier", ("ier", "ière", "iers", "ières")),
            ("eau", ("eau", "elle", "eaux", "elles")),
        ):
            if word.endswith(end):
                stem = word[: -len(end)]
                return list(zip([stem + f for f in forms], (0.4, 0.3, 0.15, 0.15), strict=True))
        if word.endswith("e"):
            return [(word, 0.7), (word + "s", 0.3)]
        masculine_plural = word if word.endswith(("s", "x")) else word + "s"
        forms = (word, word + "e", masculine_plural, word + "es")
        return list(zip(forms, (0.4, 0.3, 0.15, 0.15), strict=True))
    if word.endswith("o"):
        stem = word[:-1]
        forms = (word, stem + "a", stem + "os", stem + "as")
        return list(zip(forms, (0.4, 0.3, 0.15, 0.15), strict=True))
    if lang == "pt" and word.endswith("ês"):
        stem = word[:-2]
        forms = (word, stem + "esa", stem + "eses", stem + "esas")
        return list(zip(forms, (0.4, 0.3, 0.15, 0.15), strict=True))
    return [(word, 0.68), (PLURAL[lang](word), 0.32)]


# Verb endings with their weight, per conjugation (regular forms only: irregular verbs
# get regular-looking forms, which stem alike).
VERB_ENDINGS = {
    "es": {
        "ar": "ar:20 a:12 an:7 ó:6 ado:8 ada:4 ados:3 adas:2 ando:5 o:3 amos:3 aron:4 aba:3 "
        "aban:2 ará:2 arán:1 aría:1 e:2 en:1 emos:1 as:1 arse:2 arlo:1 é:1 ara:1",
        "er": "er:20 e:12 en:7 ió:6 ido:8 ida:4 idos:3 idas:2 iendo:5 o:3 emos:3 ieron:4 "
        "ía:3 ían:2 erá:2 erán:1 ería:1 a:2 an:1 amos:1 es:1 erse:2 erlo:1 í:1 iera:1",
        "ir": "ir:20 e:12 en:7 ió:6 ido:8 ida:4 idos:3 idas:2 iendo:5 o:3 imos:3 ieron:4 "
        "ía:3 ían:2 irá:2 irán:1 iría:1 a:2 an:1 amos:1 es:1 irse:2 irlo:1 í:1 iera:1",
    },
    "pt": {
        "ar": "ar:20 a:12 am:7 ou:6 ado:8 ada:4 ados:3 adas:2 ando:5 o:3 amos:3 aram:4 "
        "ava:3 avam:2 ará:2 arão:1 aria:1 e:2 em:1 emos:1 as:1 ei:1 asse:1",
        "er": "er:20 e:12 em:7 eu:6 ido:8 ida:4 idos:3 idas:2 endo:5 o:3 emos:3 eram:4 ia:3 "
        "iam:2 erá:2 erão:1 eria:1 a:2 am:1 amos:1 es:1 i:1 esse:1",
        "ir": "ir:20 e:12 em:7 iu:6 ido:8 ida:4 idos:3 idas:2 indo:5 o:3 imos:3 iram:4 ia:3 "
        "iam:2 irá:2 irão:1 iria:1 a:2 am:1 amos:1 es:1 i:1 isse:1",
    },
    "fr": {
        "er": "er:20 e:12 ent:7 é:10 ée:4 és:3 ées:2 ant:5 ons:3 ez:2 ait:4 aient:2 ais:1 "
        "era:2 eront:1 erait:1 es:1 ions:1 erons:1",
        "ir": "ir:20 it:12 issent:7 i:10 ie:4 is:3 ies:2 issant:5 issons:3 issez:2 issait:4 "
        "issaient:2 ira:2 iront:1 irait:1",
        "re": "re:20 :12 ent:7 u:10 ue:4 us:3 ues:2 ant:5 ons:3 ez:2 ait:4 aient:2 s:1 ra:2 "
        "ront:1 rait:1",
    },
}


def weighted(spec: str) -> list[tuple[str, float]]:
    pairs = [item.rsplit(":", 1) for item in spec.split()]
    return [(ending, float(weight)) for ending, weight in pairs]


def verb_forms(lang: str, verb: str) -> list[tuple[str, float]]:
    if lang == "en":
        base = verb[:-1] if verb.endswith("e") else verb
        if verb.endswith("y") and verb[-2] not in "aeiou":
            past, third = verb[:-1] + "ied", verb[:-1] + "ies"
        else:
            past = verb + "d" if verb.endswith("e") else verb + "ed"
            third = en_plural(verb)
        return [(verb, 0.4), (third, 0.15), (past, 0.3), (base + "ing", 0.15)]
    kind = verb[-2:]
    if lang == "fr" and kind not in VERB_ENDINGS["fr"]:
        kind = "er"
    stem = verb[:-2]
    return [(stem + ending, weight) for ending, weight in weighted(VERB_ENDINGS[lang][kind])]


def normalized(forms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    total = sum(weight for _, weight in forms)
    return [(form, weight / total) for form, weight in forms]


# Derivations: (kind of lemma made, how the word is made from the base).
def verb_derivations(lang: str, verb: str) -> list[tuple[str, str]]:
    """Action noun, agent, '-able' adjective of a verb, as the language makes them."""
    kind, stem = verb[-2:], verb[:-2]
    if lang == "es":
        vowel = "a" if kind == "ar" else "i"
        agent = {"ar": "ador", "er": "edor", "ir": "idor"}[kind]
        able = "able" if kind == "ar" else "ible"
        return [
            ("noun", stem + vowel + "ción"),
            ("noun", stem + vowel + "miento"),
            ("adjective_o", stem + agent),
            ("adjective", stem + able),
        ]
    if lang == "pt":
        vowel = "a" if kind == "ar" else "i"
        agent = {"ar": "ador", "er": "edor", "ir": "idor"}[kind]
        able = "ável" if kind == "ar" else "ível"
        return [
            ("noun", stem + vowel + "ção"),
            ("noun", stem + ("a" if kind == "ar" else "i") + "mento"),
            ("adjective_o", stem + agent),
            ("adjective", stem + able),
        ]
    if lang == "fr":
        if verb.endswith("er"):
            return [
                ("noun", stem + "ation"),
                ("noun", stem + "ement"),
                ("agent", stem + "eur"),
                ("adjective", stem + "able"),
            ]
        return [("noun", stem + "ssement"), ("agent", stem + "sseur")]
    base = verb[:-1] if verb.endswith("e") else verb
    made = [("noun", base + "er"), ("adjective", base + "able")]
    if verb.endswith("ize"):
        made.append(("noun", verb[:-1] + "ation"))
    elif verb.endswith("ate"):
        made.append(("noun", verb[:-1] + "ion"))
    else:
        made.append(("noun", verb + "ment"))
    return made


def adjective_derivations(lang: str, word: str) -> list[tuple[str, str]]:
    """The adverb and the quality noun of an adjective."""
    forms = adjective_forms(lang, word)
    feminine = forms[1][0] if len(forms) == 4 else word
    if lang == "en":
        adverb = word[:-1] + "ily" if word.endswith("y") else word + "ly"
        return [("invariable", adverb), ("noun", word + "ness")]
    stem = (word[:-1] if word[-1] in VOWELS else word).translate(ACUTE)
    quality = {"es": "idad", "pt": "idade", "fr": "ité"}[lang]
    return [
        ("invariable", feminine + "mente" if lang != "fr" else feminine + "ment"),
        ("noun", stem + quality),
    ]


def noun_derivations(lang: str, word: str) -> list[tuple[str, str]]:
    """A diminutive or a relational adjective of a noun."""
    stem = word[:-1] if word[-1] in VOWELS else word
    if lang == "es":
        small = stem + ("ita" if word.endswith("a") else "ito")
        return [("noun", small), ("adjective_o", stem + "ero")]
    if lang == "pt":
        small = stem + ("inha" if word.endswith("a") else "inho")
        return [("noun", small), ("adjective_o", stem + "eiro")]
    if lang == "fr":
        return [("noun", stem + "ette"), ("agent", stem + "ier")]
    return [("noun", word + "ship"), ("adjective", word + "less")]


def agent_forms(lang: str, word: str) -> list[tuple[str, float]]:
    """French agent nouns: `-eur`, `-euse`, `-ier`, `-ière` and plurals."""
    if word.endswith("eur"):
        stem = word[:-3]
        forms = (word, stem + "euse", word + "s", stem + "euses")
    elif word.endswith("ier"):
        stem = word[:-3]
        forms = (word, stem + "ière", word + "s", stem + "ières")
    else:
        return noun_forms(lang, word)
    return list(zip(forms, (0.45, 0.2, 0.25, 0.1), strict=True))


def forms_of(lang: str, kind: str, word: str) -> list[tuple[str, float]]:
    if kind == "noun":
        return noun_forms(lang, word)
    if kind == "verb":
        return verb_forms(lang, word)
    if kind in ("adjective", "adjective_o"):
        return adjective_forms(lang, word)
    if kind == "agent":
        return agent_forms(lang, word)
    return [(word, 1.0)]


# --- The lexicon of one language -------------------------------------------------------


@dataclass(frozen=True)
class Lemma:
    """A content word and its forms, with how often each form appears."""

    kind: str
    forms: tuple[str, ...]
    cumulative: tuple[float, ...]

    def form(self, rng: random.Random) -> str:
        return rng.choices(self.forms, cum_weights=self.cumulative)[0]


@dataclass(frozen=True)
class Lexicon:
    """What one language's texts are drawn from: a head of known words, drawn from lists,
    and a tail of rare words made when first drawn."""

    lang: str
    words: tuple[str, ...]  # function words, content forms, names, numbers
    cumulative: tuple[float, ...]
    lemmas: tuple[Lemma, ...]  # content lemmas, most frequent first
    subjects: tuple[Lemma, ...]  # what titles are about: the commoner lemmas
    subject_cumulative: tuple[float, ...]
    people: tuple[str, ...]
    places: tuple[str, ...]
    joiners: tuple[str, ...]
    tags: tuple[str, ...]

    def running(self, rng: random.Random, count: int) -> list[str]:
        found = rng.choices(self.words, cum_weights=self.cumulative, k=count)
        random_ = rng.random
        for _ in range(int(count * TAIL_SHARE + random_())):
            rank = zipf_rank(rng, TAIL_TYPES, TAIL_EXPONENT)
            found[int(random_() * count)] = rare_word(self.lang, rank)
        return found

    def subject(self, rng: random.Random) -> Lemma:
        return rng.choices(self.subjects, cum_weights=self.subject_cumulative)[0]


def zipf(count: int, exponent: float = 1.0, offset: float = 2.7) -> list[float]:
    """Zipf–Mandelbrot weights of ranks 0…count-1, summing to 1."""
    raw = [1.0 / (rank + offset) ** exponent for rank in range(count)]
    total = sum(raw)
    return [weight / total for weight in raw]


def zipf_rank(rng: random.Random, count: int, exponent: float) -> int:
    """A rank in 0…count-1 drawn with a (continuous) Zipf law, without a table."""
    low = 1.0 - exponent
    return int((((count + 1) ** low - 1) * rng.random() + 1) ** (1 / low)) - 1


def syllable_name(
    rng: random.Random, starts: list[str], middles: list[str], ends: list[str], most: int = 1
) -> str:
    parts = [rng.choice(starts)]
    parts += [rng.choice(middles) for _ in range(rng.randint(0, most))]
    parts.append(rng.choice(ends))
    return "".join(parts)


def unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def loanword(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))


def acronym(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHIJLMNOPRSTUV") for _ in range(rng.randint(3, 6)))


LANG_NUMBER = {lang: number for number, lang in enumerate(MATERIAL)}
RARE_WORDS: dict[tuple[str, int], str] = {}


def rare_word(lang: str, rank: int) -> str:
    """The tail word of this rank: always the same word for the same rank. Rare words are
    the loanwords, surnames, places, figures, acronyms and compounds a text names once."""
    key = (lang, rank)
    if key not in RARE_WORDS:
        rng = random.Random(rank * 8 + LANG_NUMBER[lang])
        parts = rare_parts(lang)
        pick = rng.random()
        if pick < 0.4:
            word = loanword(rng)
            if rng.random() < 0.3:
                word = PLURAL[lang](word)
        elif pick < 0.55:
            word = syllable_name(rng, parts["surname_starts"], SYLLABLES, parts["surname_end"])
        elif pick < 0.7:
            word = syllable_name(rng, PLACE_START, SYLLABLES, PLACE_END)
        elif pick < 0.8:
            word = str(rng.randint(20, 999_999))
        elif pick < 0.87:
            word = acronym(rng)
        else:
            word = rng.choice(parts["combining"]) + loanword(rng)[:4] + rng.choice(parts["stems"])
        RARE_WORDS[key] = word
    return RARE_WORDS[key]


@cache
def rare_parts(lang: str) -> dict[str, list[str]]:
    material = MATERIAL[lang]
    return {
        "surname_starts": [
            start + middle
            for start in material["first"].split()
            for middle in material["middle"].split()
        ],
        "surname_end": material["surname_end"].split(),
        "combining": material["combining"].split(),
        "stems": material["nouns"].split() + material["adjectives"].split(),
    }


@cache
def lexicon(lang: str) -> Lexicon:
    """The words of `lang`, grown from the material above. The same on every run."""
    rng = random.Random(f"minga-corpus-{lang}")
    material = MATERIAL[lang]
    # Content lemmas with a rank key: base words first, in a shuffled order; what is
    # derived from them ranks lower, compounds and loanwords lowest.
    base = [("noun", w) for w in material["nouns"].split()]
    base += [("adjective", w) for w in material["adjectives"].split()]
    base += [("verb", w) for w in material["verbs"].split()]
    rng.shuffle(base)
    lemmas: dict[tuple[str, str], float] = {}

    def add(kind: str, word: str, key: float) -> None:
        if (kind, word) not in lemmas or lemmas[(kind, word)] > key:
            lemmas[(kind, word)] = key

    prefixes = material["prefixes"].split()
    for position, (kind, word) in enumerate(base):
        key = position + 1.0
        add(kind, word, key)
        if kind == "verb":
            made = verb_derivations(lang, word)
            for prefix in rng.sample(prefixes, rng.randint(1, 4)):
                add("verb", prefix + word, key * rng.uniform(8, 60))
        elif kind == "adjective":
            made = adjective_derivations(lang, word)
        else:
            made = noun_derivations(lang, word)
            for prefix in rng.sample(prefixes, rng.randint(0, 2)):
                add("noun", prefix + word, key * rng.uniform(10, 80))
        # A language derives some words, not all it could: one action noun per verb
        # (`organización` or `-miento`), and each other derivation half the time.
        actions = [m for m in made if m[0] == "noun"] if kind == "verb" else []
        kept = [rng.choice(actions)] if actions else []
        kept += [m for m in made if m not in actions and rng.random() < 0.5]
        for derived_kind, derived in kept:
            add(derived_kind, derived, key * rng.uniform(1.5, 12))
            if derived_kind == "noun" and rng.random() < 0.4:
                add("noun", rng.choice(prefixes) + derived, key * rng.uniform(20, 150))
    # Compounds of a combining form and an adjective or noun: `agroecológico`.
    joinable = [(kind, word) for kind, word in base if kind in ("noun", "adjective")]
    for element in material["combining"].split():
        for kind, word in rng.sample(joinable, 30):
            add(kind, element + word, rng.uniform(400, 6000))
    if lang == "en":  # English writes compound nouns together: `seedbank`
        nouns = [word for kind, word in base if kind == "noun" and len(word) <= 6]
        for _ in range(1500):
            add("noun", rng.choice(nouns) + rng.choice(nouns), rng.uniform(300, 6000))
    for _ in range(1500):  # loanwords in everyday use: names of plants, dishes, tools
        add("noun", loanword(rng), rng.uniform(1000, 20000))

    ordered = sorted(lemmas.items(), key=lambda item: item[1])
    built = []
    for (kind, word), _key in ordered:
        forms = normalized(forms_of(lang, kind, word))
        built.append(
            Lemma(
                kind, tuple(f for f, _ in forms), tuple(itertools.accumulate(w for _, w in forms))
            )
        )
    lemma_weights = zipf(len(built), 1.0, 8)

    # Names: first names and surnames made of syllables, people as pairs of them, places
    # from the shared syllables, some after a word such as "San".
    starts, middles = material["first"].split(), material["middle"].split()
    firsts = unique(
        syllable_name(rng, starts, middles, material["first_end"].split()) for _ in range(500)
    )
    surname_starts = [s + m for s in starts for m in middles]
    surnames = unique(
        syllable_name(rng, surname_starts, middles + [""], material["surname_end"].split())
        for _ in range(5000)
    )
    first_cumulative = list(itertools.accumulate(zipf(len(firsts), 1.0)))
    surname_cumulative = list(itertools.accumulate(zipf(len(surnames), 0.9)))
    people = unique(
        rng.choices(firsts, cum_weights=first_cumulative)[0]
        + " "
        + rng.choices(surnames, cum_weights=surname_cumulative)[0]
        for _ in range(15000)
    )
    befores = material["place_before"].split()
    places = unique(
        (rng.choice(befores) + " " if rng.random() < 0.2 else "")
        + syllable_name(
            rng, PLACE_START, [""] * 3 + [e.lower() for e in PLACE_START[:8]], PLACE_END
        )
        for _ in range(6000)
    )
    rng.shuffle(places)
    numbers = [str(year) for year in range(2025, 1949, -1)]
    numbers += [str(n) for n in rng.sample(range(2, 5000), 2000)]
    acronyms = unique(acronym(rng) for _ in range(300))

    words: list[str] = []
    weights: list[float] = []
    for share, items, exponent in (
        (FUNCTION_SHARE, material["function"].split(), 1.0),
        (NAME_SHARE * 0.55, people, 0.9),
        (NAME_SHARE * 0.45, places, 0.9),
        (NUMBER_SHARE * 0.7, numbers, 1.0),
        (NUMBER_SHARE * 0.3, acronyms, 1.0),
    ):
        words += items
        weights += [share * w for w in zipf(len(items), exponent)]
    content_share = 1.0 - FUNCTION_SHARE - NAME_SHARE - NUMBER_SHARE - TAIL_SHARE
    for lemma, weight in zip(built, lemma_weights, strict=True):
        previous = 0.0
        for form, cumulative in zip(lemma.forms, lemma.cumulative, strict=True):
            words.append(form)
            weights.append(content_share * weight * (cumulative - previous))
            previous = cumulative

    subject_weights = [w**SUBJECT_FLATTENING for w in lemma_weights[:SUBJECT_LEMMAS]]
    base_nouns = [b.forms[0] for b in built[:400] if b.kind == "noun"]
    return Lexicon(
        lang=lang,
        words=tuple(words),
        cumulative=tuple(itertools.accumulate(weights)),
        lemmas=tuple(built),
        subjects=tuple(built[:SUBJECT_LEMMAS]),
        subject_cumulative=tuple(itertools.accumulate(subject_weights)),
        people=tuple(people),
        places=tuple(places),
        joiners=tuple(material["joiners"].split()),
        tags=tuple(base_nouns[:150]),
    )


# --- Organizations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    """An organization: who publishes, in which languages, about which topics."""

    id: str
    name: str
    languages: tuple[str, ...]
    topics: tuple[str, ...]
    weight: float  # how much it publishes compared with the others


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@cache
def orgs(count: int = ORGS) -> tuple[Org, ...]:
    """`count` orgs, their names in their first language; a few publish in two."""
    rng = random.Random("minga-corpus-orgs")
    languages = list(SHARES)
    made: list[Org] = []
    taken: set[str] = set()
    activity = zipf(count, 0.8, 3)
    rng.shuffle(activity)
    for number in range(count):
        first = rng.choices(languages, [SHARES[lang] for lang in languages])[0]
        spoken = [first]
        if rng.random() < 0.2:
            spoken.append(rng.choice([lang for lang in languages if lang != first]))
        material = MATERIAL[first]
        place = rng.choice(lexicon(first).places[:800])
        kind = rng.choice(material["org_kinds"].split())
        subject = rng.choice(material["org_subjects"])
        name = f"{kind} {subject} {place}" if rng.random() < 0.6 else f"{kind} {place}"
        ident = slug(name)
        while ident in taken:
            ident = f"{slug(name)}-{number}"
        taken.add(ident)
        topics = tuple(rng.sample(list(TOPICS), rng.randint(2, 4)))
        made.append(Org(ident, name, tuple(spoken), topics, activity[number]))
    return tuple(made)


# --- Texts -----------------------------------------------------------------------------

ELISION = re.compile(r"\b([LlDdJjNnSs]|[Qq]u)(?:e|a) (?=[aeiouyhéèêàâîôûAEIOUÉ])")


def sentences(rng: random.Random, words: list[str], lang: str, shortest=7, longest=24) -> str:
    """Running words as sentences: capitals, commas, full stops, paragraphs."""
    parts = []
    start = 0
    in_paragraph = 0
    random_ = rng.random  # random() arithmetic: randint is slow in a loop this hot
    span = longest - shortest + 1
    while start < len(words):
        length = shortest + int(random_() * span)
        chunk = words[start : start + length]
        start += length
        if len(chunk) > 6 and random_() < 0.5:
            chunk[2 + int(random_() * (len(chunk) - 4))] += ","
        text = " ".join(chunk)
        parts.append(text[0].upper() + text[1:] + ".")
        in_paragraph += 1
        if in_paragraph >= 3 + int(random_() * 5):
            parts.append("\n\n")
            in_paragraph = 0
    text = " ".join(parts).replace(" \n\n ", "\n\n").strip()
    return elide(text) if lang == "fr" else text


def elide(text: str) -> str:
    """French writes `l'eau`, `d'abord`, `qu'elle`: le/la/de/que… before a vowel."""
    return ELISION.sub(lambda m: m.group(1) + "'", text)


def title_of(rng: random.Random, lexicon_: Lexicon, subjects: list[Lemma], place: str) -> str:
    words = []
    for lemma in subjects:
        if words and rng.random() < 0.55:
            words.append(rng.choice(lexicon_.joiners))
        words.append(lemma.form(rng))
    if rng.random() < 0.35:
        words += [rng.choice(lexicon_.joiners[:3]), place]
    if rng.random() < 0.08:
        words.append(str(rng.randint(2006, 2025)))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return elide(text) if lexicon_.lang == "fr" else text


def body_length(rng: random.Random) -> int:
    low, high = BODY_RANGE
    while True:
        length = round(rng.lognormvariate(math.log(BODY_MEDIAN), BODY_SPREAD))
        if low <= length <= high:
            return length


def article(rng: random.Random, lang: str, org: Org, day: date, number: int) -> Entry:
    lex = lexicon(lang)
    subjects = [lex.subject(rng) for _ in range(rng.choice((2, 3, 3, 4, 4, 5, 6)))]
    person = lex.people[zipf_rank(rng, len(lex.people), 0.9)]
    place = lex.places[zipf_rank(rng, len(lex.places), 0.9)]
    title = title_of(rng, lex, subjects, place)
    # The article's own words, which it repeats: its title's lemmas and a few more (in any
    # of their forms), a person, a place.
    own = subjects + [lex.subject(rng) for _ in range(rng.randint(2, 5))]
    own_forms = [person, place] + [form for lemma in own for form in lemma.forms]
    share = 0.8 / len(own)
    own_weights = [0.12, 0.08] + [
        share * (cumulative - previous)
        for lemma in own
        for previous, cumulative in zip(
            (0.0, *lemma.cumulative[:-1]), lemma.cumulative, strict=True
        )
    ]
    own_cumulative = list(itertools.accumulate(own_weights))
    topics = tuple(rng.sample(org.topics, rng.randint(1, min(3, len(org.topics)))))
    labels = tuple(TOPICS[topic].get(lang) or TOPICS[topic]["es"] for topic in topics)

    def running(count: int, subject_share: float) -> list[str]:
        found = lex.running(rng, count)
        # Positions drawn with replacement: a few fall twice, which changes nothing.
        positions = rng.choices(range(count), k=round(count * subject_share))
        picked = rng.choices(own_forms, cum_weights=own_cumulative, k=len(positions))
        for position, word in zip(positions, picked, strict=True):
            found[position] = word
        return found

    summary = sentences(rng, running(rng.randint(*SUMMARY_WORDS), 0.2), lang, 10, 18)
    body = sentences(rng, running(body_length(rng), SUBJECT_SHARE), lang)
    tag_count = rng.choices((0, 1, 2, 3, 4), (2, 3, 3, 1.5, 0.5))[0]
    tags = tuple(unique(lex.tags[zipf_rank(rng, len(lex.tags), 0.9)] for _ in range(tag_count)))
    url = f"orgs/{org.id}/{day.year}/{slug(title)[:60].strip('-')}-{number}.html"
    return Entry(
        url, lang, title, summary, body, org.id, org.name, topics, labels, tags, day.isoformat()
    )


def entries(count: int, seed: int = 8) -> list[Entry]:
    """`count` generated texts in es, pt, en, fr (SHARES), by ORGS orgs, over YEARS years;
    the same list for the same count and seed."""
    rng = random.Random(seed)
    languages = []
    for lang, share in SHARES.items():
        languages += [lang] * round(count * share)
    languages = (languages + ["es"] * count)[:count]
    rng.shuffle(languages)
    by_language = {lang: [o for o in orgs() if lang in o.languages] for lang in SHARES}
    org_weights = {
        lang: list(itertools.accumulate(o.weight for o in found))
        for lang, found in by_language.items()
    }
    # More texts in recent years: a network grows.
    days = YEARS * 365
    made = []
    for number, lang in enumerate(languages):
        org = rng.choices(by_language[lang], cum_weights=org_weights[lang])[0]
        day = FIRST_DAY + timedelta(days=int(days * math.sqrt(rng.random())))
        made.append(article(rng, lang, org, day, number))
    return made


def vocabulary(texts: list[Entry]) -> dict[str, tuple[int, int]]:
    """Per language: distinct words (folded, lower-cased, trimmed, as search splits them)
    and distinct terms (stop words out, stemmed), in titles, summaries and bodies."""
    from search.analysis import analysis_for, words

    found: dict[str, set[str]] = {}
    for entry in texts:
        seen = found.setdefault(entry.lang, set())
        for text in (entry.title, entry.summary, entry.body):
            seen.update(words(text))
    counts = {}
    for lang, seen in sorted(found.items()):
        analysed = analysis_for(lang)
        trimmed = {analysed.trim(word) for word in seen} - {""}
        counts[lang] = (len(trimmed), len({analysed.term(word) for word in trimmed} - {None}))
    return counts


def main() -> None:
    """A sample of the corpus and its vocabulary at two sizes."""
    import time

    for size in (1000, 10_000):
        started = time.perf_counter()
        texts = entries(size)
        seconds = time.perf_counter() - started
        lengths = sorted(len(e.body.split()) for e in texts)
        sizes = ", ".join(
            f"{lang} {distinct:,} words, {terms:,} terms"
            for lang, (distinct, terms) in vocabulary(texts).items()
        )
        print(
            f"{size:,} texts generated in {seconds:.1f} s; body words: median "
            f"{lengths[len(lengths) // 2]}, max {lengths[-1]}; {sizes}"
        )
    for entry in texts[:4]:
        print(f"\n[{entry.lang}] {entry.title} ({entry.org_name}, {entry.date})")
        print(f"topics {', '.join(entry.topic_labels)}; tags {', '.join(entry.tags)}")
        print(entry.summary)
        print(entry.body[:300] + "…")


if __name__ == "__main__":
    main()
