"""Stripe's Python SDK (Debian's python3-stripe) against the service, configured only by its documented
options (api_base and upload_api_base at the service, the service's API key as api_key, the installation's
account id as stripe_account). Prints one JSON object with what each call gave; connection/StripeSdkTest runs
it once and asserts on it and on what Stripe received."""
import io
import json
import os

import stripe

env = os.environ

# --- the set-up docs/sdks.md shows ---
stripe.api_key = env["CONNECTOR_API_KEY"]
stripe.api_base = env["CONNECTOR_URL"]
stripe.upload_api_base = env["CONNECTOR_URL"]
stripe.max_network_retries = 0
account = env["INSTALLATION_ACCOUNT_ID"]
# every call: stripe.Customer.list(limit=2, stripe_account=account)
# --- end of set-up ---


def failure(e):
    # stripe-python 5 sets .code only on some of its exceptions; the error object always has it.
    return {"class": type(e).__name__, "status": e.http_status, "type": (e.error.type if e.error else None),
            "code": e.code or (e.error.code if e.error else None), "requestId": e.request_id,
            "message": e.user_message}


def attempt(call):
    try:
        return {"answer": call()}
    except stripe.error.StripeError as e:
        return {"error": failure(e)}


results = {
    "list": attempt(lambda: [c.id for c in stripe.Customer.list(limit=2, stripe_account=account).data]),
    "create": attempt(lambda: stripe.Customer.create(
        email="sdk@example.com", address={"city": "Lyon", "country": "FR"},
        metadata={"order_id": "6735", "channel": "sdk"},
        idempotency_key="sdk-python-create-1", stripe_account=account).id),
    "missing": attempt(lambda: stripe.Customer.retrieve("cus_Missing", stripe_account=account).id),
    "unknownInstallation": attempt(lambda: len(stripe.Customer.list(limit=2, stripe_account=env["UNKNOWN_ACCOUNT_ID"]).data)),
    "notConnected": attempt(lambda: len(stripe.Customer.list(limit=2, stripe_account=env["PENDING_ACCOUNT_ID"]).data)),
    "wrongKey": attempt(lambda: len(stripe.Customer.list(limit=2, stripe_account=account,
                                                         api_key="not-a-key-of-the-service").data)),
    "upload": attempt(lambda: stripe.File.create(
        purpose="dispute_evidence", stripe_account=account,
        file=io.BytesIO(env["UPLOAD_CONTENT"].encode("utf-8"))).id),
    "paginated": attempt(lambda: [c.id for c in
                                  stripe.Customer.list(limit=2, stripe_account=account).auto_paging_iter()]),
}
print(json.dumps(results))
