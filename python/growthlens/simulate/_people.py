"""Names of simulated people, for emails and identify traits (with real-world Unicode).

>>> slug("José Núñez")
'jose nunez'
"""

from __future__ import annotations

import unicodedata

__all__ = ["COMPANIES", "FIRST_NAMES", "LAST_NAMES", "SEGMENTS", "slug"]

FIRST_NAMES = {
    "saas": (
        "José",
        "Zoë",
        "Jürgen",
        "Amélie",
        "Chloé",
        "Søren",
        "Ana",
        "Liam",
        "Priya",
        "Wei",
        "Olivia",
        "Noah",
        "Fatima",
        "Mateo",
        "Björn",
        "Renée",
        "Hiroshi",
        "Aisha",
        "Łukasz",
        "Siobhán",
        "Emma",
        "Lucas",
        "Mia",
        "Ethan",
        "Sofia",
        "Daniel",
        "Hannah",
        "Omar",
    ),
    "loyalty": (
        "João",
        "Maria",
        "Luíza",
        "Conceição",
        "Gonçalo",
        "Ana",
        "Pedro",
        "Camila",
        "José",
        "Fernanda",
        "Lucía",
        "Sofía",
        "Andrés",
        "Valentina",
        "Mateus",
        "Beatriz",
        "Thiago",
        "Ximena",
        "Raúl",
        "Gabriela",
        "Íris",
        "Matías",
        "Larissa",
        "Diego",
    ),
}
LAST_NAMES = {
    "saas": (
        "Müller",
        "García",
        "Núñez",
        "O'Brien",
        "Smith",
        "Kowalski",
        "Dubois",
        "Silva",
        "Johansson",
        "Nakamura",
        "Okafor",
        "Rossi",
        "Chen",
        "Ibáñez",
        "Fernández",
        "Schäfer",
        "Patel",
        "Nguyễn",
        "Kim",
        "Brown",
        "Larsen",
        "Novák",
    ),
    "loyalty": (
        "Silva",
        "Santos",
        "Oliveira",
        "Souza",
        "Pereira",
        "Rodríguez",
        "Hernández",
        "López",
        "Gómez",
        "Martínez",
        "Araújo",
        "Gonçalves",
        "Peña",
        "Muñoz",
        "Castaño",
        "Ribeiro",
        "Carvalho",
        "Ramírez",
        "Lima",
        "Cortés",
    ),
}
COMPANIES = {
    "acme-data.io": "Acme Data",
    "northwind.com": "Northwind Traders",
    "globex.example": "Globex",
    "initech.co": "Initech",
    "umbrella.dev": "Umbrella",
    "hooli.xyz": "Hooli",
    "müller-logistik.de": "Müller Logistik GmbH",
    "gmail.com": "",
    "outlook.com": "",
}
SEGMENTS = {"shopper": "mainstream", "deal_hunter": "bargain", "family": "household"}

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "'": ""})


def slug(text: str) -> str:
    """ASCII, lower-case form of a name for an email local part.

    >>> slug("Łukasz O'Brien")
    'lukasz obrien'
    """
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return folded.encode("ascii", "ignore").decode("ascii").lower()
