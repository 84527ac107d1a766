"""Seed buyer–seller pairs through the project's services; print them as JSON.

    DATABASE_URL=… python -m tests.realtime.seed --pairs 50 > pairs.json

Each pair is a seller who owns a store, a buyer, an API token for each, and
the buyer's conversation with the store (started with one message). Used by
the realtime tests and by ``bench.messaging`` (whose ``--token-file`` reads
this output). Run it with the environment of the server it seeds for.
"""

import argparse
import json
import os
import secrets


def seed(pairs: int) -> list[dict]:
    from django.db import transaction

    from saypro.accounts.services import create_api_token, register_user
    from saypro.catalog.services import open_store
    from saypro.messaging.services import start_conversation

    run = secrets.token_hex(3)
    seeded = []
    for index in range(pairs):
        with transaction.atomic():
            seller = register_user(email=f"seller{index}-{run}@bench.test", first_name="Sam")
            store = open_store(owner=seller, name=f"Bench store {index} {run}")
            buyer = register_user(email=f"buyer{index}-{run}@bench.test", first_name="Bo")
            buyer_token = create_api_token(user=buyer, name="realtime")[1]
            seller_token = create_api_token(user=seller, name="realtime")[1]
        conversation, _, _ = start_conversation(buyer, store_id=store.pk, text="Hello")
        seeded.append(
            {
                "store_id": store.pk,
                "conversation_id": conversation.pk,
                "buyer": {"id": buyer.pk, "token": buyer_token},
                "seller": {"id": seller.pk, "token": seller_token},
            }
        )
    return seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saypro.settings")
    import django

    django.setup()
    print(json.dumps({"pairs": seed(options.pairs)}))


if __name__ == "__main__":
    main()
