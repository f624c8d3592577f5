"""Webhooks: signed notices to a real local receiver on publish, correction and retraction,
retried while it is down (none lost, none doubled), paused after repeated failures, and no
requests to private addresses unless a setting allows them."""

import json
import time

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from api import webhooks
from api.models import WebhookDelivery, WebhookSubscription
from tests.api.receiver import Receiver, Silent, Trickle, closed_port
from tests.helpers import make_article, make_user
from tests.newsroom.test_task_queue import DATABASE_BACKEND, run_worker_once

ALL_EVENTS = ["published", "updated", "unpublished", "corrected", "scheduled", "deleted"]


@pytest.fixture
def local_receivers(settings):
    """The tests' receivers are on loopback: allowed explicitly, as an intranet would be."""
    settings.API_WEBHOOK_ALLOW_PRIVATE = True
    settings.API_WEBHOOK_TIMEOUT = 0.5
    return settings


def subscribe(url: str, events=ALL_EVENTS) -> WebhookSubscription:
    return WebhookSubscription.objects.create(name="合作网站", url=url, events=list(events))


def notices(receiver: Receiver, secret: str) -> list[dict]:
    """What the receiver got, each signature checked as a receiver would."""
    got = []
    for request in receiver.requests:
        headers = request["headers"]
        assert webhooks.verify(secret, headers["Newsroom-Signature"], request["body"])
        payload = json.loads(request["body"])
        assert payload["id"] == headers["Newsroom-Delivery"]
        assert payload["event"] == headers["Newsroom-Event"]
        got.append(payload)
    return got


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_receiver_that_is_down_for_a_while_gets_every_notice_once(
    settings, local_receivers, editor
):
    settings.TASKS = DATABASE_BACKEND
    port = closed_port()
    subscription = subscribe(f"http://127.0.0.1:{port}/hook")
    article = make_article(by=editor, headline="中原区召开推进会")
    article.publish(by=editor)
    # The publish only queued the notice: nothing was sent from it.
    assert WebhookDelivery.objects.get().attempts == 0
    run_worker_once()  # the receiver is down: connection refused
    first = WebhookDelivery.objects.get()
    assert (first.status, first.attempts, first.response_status) == ("pending", 1, None)
    assert "ConnectionRefused" in first.error
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry, later

    with Receiver(port) as receiver:
        article.correct(by=editor, text="更正：时间应为9月2日。")
        article.unpublish(by=editor, reason="事实有误")
        run_worker_once()  # the two new notices; the retry is not due yet
        assert len(receiver.requests) == 2
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker_once()
        run_worker_once()  # nothing left: nothing is sent twice
        got = notices(receiver, subscription.secret)

    assert sorted(n["event"] for n in got) == ["corrected", "published", "unpublished"]
    assert len({n["id"] for n in got}) == 3
    published = next(n for n in got if n["event"] == "published")
    assert published["data"]["headline"] == "中原区召开推进会"
    assert published["item"] == {"type": "article", "id": article.pk}
    corrected = next(n for n in got if n["event"] == "corrected")
    assert [c["text"] for c in corrected["data"]["corrections"]] == ["更正：时间应为9月2日。"]
    assert WebhookDelivery.objects.filter(status="delivered").count() == 3
    first.refresh_from_db()
    assert (first.attempts, first.response_status) == (2, 200)
    assert first.response_excerpt == "ok"


@pytest.mark.django_db
def test_edits_while_public_and_scheduling_are_announced(local_receivers, editor, committed):
    with Receiver() as receiver:
        subscription = subscribe(receiver.url)
        article = make_article(by=editor)
        with committed():
            article.schedule(at=timezone.now() + timezone.timedelta(hours=1), by=editor)
        with committed():
            article.publish(by=editor)
        with committed():
            article.headline = "标题改了"
            article.save()
        with committed():
            make_article(by=editor).save()  # a draft: nobody hears of it
        got = notices(receiver, subscription.secret)
    assert [n["event"] for n in got] == ["scheduled", "published", "updated"]
    assert got[-1]["data"]["headline"] == "标题改了"


@pytest.mark.django_db
def test_a_subscription_hears_only_its_events(local_receivers, editor, committed):
    with Receiver() as receiver:
        subscribe(receiver.url, events=["unpublished"])
        article = make_article(by=editor)
        with committed():
            article.publish(by=editor)
        assert receiver.requests == []
        assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_a_redirect_is_not_followed(local_receivers, editor, committed):
    with Receiver() as receiver:
        receiver.answers.append((302, {"Location": f"http://127.0.0.1:{receiver.port}/elsewhere"}))
        subscribe(receiver.url)
        with committed():
            make_article(by=editor).publish(by=editor)
        assert [r["path"] for r in receiver.requests] == ["/hook"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_status == 302
    # In the site's language (the log is the administrators'): 接收方返回了重定向…
    with translation.override("en"):
        english = gettext("The receiver answered with a redirect, which is not followed.")
    assert delivery.error in (
        english,
        gettext("The receiver answered with a redirect, which is not followed."),
    )


@pytest.mark.django_db
def test_a_hung_receiver_costs_one_short_time_out(local_receivers, editor, committed):
    local_receivers.API_WEBHOOK_TIMEOUT = 0.3
    with Silent() as silent:
        subscribe(silent.url)
        started = time.monotonic()
        with committed():
            make_article(by=editor).publish(by=editor)
        assert time.monotonic() - started < 2
    delivery = WebhookDelivery.objects.get()
    assert "timed out" in delivery.error.lower() or "timeout" in delivery.error.lower()


@pytest.mark.django_db
def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_time_out(
    local_receivers, editor, committed
):
    # Each byte comes well within the socket's time-out: only the deadline on the whole
    # exchange keeps the publish short.
    local_receivers.API_WEBHOOK_TIMEOUT = 0.3
    with Trickle(every=0.05, for_seconds=10) as slow:
        subscribe(slow.url)
        started = time.monotonic()
        with committed():
            make_article(by=editor).publish(by=editor)
        assert time.monotonic() - started < 2
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "timed out" in delivery.error
    assert delivery.duration_ms < 1500


@pytest.mark.skipif(
    "postgresql" not in connection.vendor,
    reason="threads writing beside the test need a server database (SQLite's shared in-memory "
    "test database locks whole tables)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_immediate_backend_a_publish_does_not_wait_for_the_receiver(
    local_receivers, editor
):
    local_receivers.API_WEBHOOK_THREAD = True
    local_receivers.API_WEBHOOK_TIMEOUT = 2
    with Silent() as silent, Receiver() as receiver:
        subscribe(silent.url)
        good = subscribe(receiver.url)
        article = make_article(by=editor)
        started = time.monotonic()
        article.publish(by=editor)
        assert time.monotonic() - started < 1.5  # not the hung receiver's 2 s
        ends = time.monotonic() + 10
        while time.monotonic() < ends and WebhookDelivery.objects.filter(attempts=0).exists():
            time.sleep(0.05)  # the threads' deliveries, in their own transactions
        assert [n["event"] for n in notices(receiver, good.secret)] == ["published"]
    hung = WebhookDelivery.objects.get(subscription__url=silent.url)
    assert hung.attempts == 1 and "timed out" in hung.error


@pytest.mark.django_db
def test_repeated_failures_pause_the_subscription_and_tell_the_administrators(
    local_receivers, editor, committed
):
    local_receivers.API_WEBHOOK_PAUSE_AFTER = 2
    boss = make_user("boss", None)
    boss.is_superuser, boss.email = True, "boss@example.cn"
    boss.save()
    with Receiver() as receiver:
        receiver.answers += [(500, {}), (500, {})]
        subscription = subscribe(receiver.url)
        for _ in range(2):
            with committed():
                make_article(by=editor).publish(by=editor)
        subscription.refresh_from_db()
        assert subscription.paused_at is not None
        assert any("boss@example.cn" in m.to for m in mail.outbox)
        with committed():
            make_article(by=editor).publish(by=editor)
        assert len(receiver.requests) == 2  # paused: nothing more is sent
        # The administrator resumes it and sends a failed notice again, from the admin.
        from django.test import Client

        client = Client()
        client.force_login(boss)
        client.post(
            f"/admin/api/webhooksubscription/{subscription.pk}/change/",
            {
                "name": subscription.name,
                "url": subscription.url,
                "events": ALL_EVENTS,
                "secret": subscription.secret,
                "is_active": "on",
            },
        )
        subscription.refresh_from_db()
        assert subscription.paused_at is None
        failed = WebhookDelivery.objects.filter(status="failed").first()
        with committed():
            client.post(
                "/admin/api/webhookdelivery/",
                {"action": "redeliver", "_selected_action": [str(failed.pk)]},
            )
        failed.refresh_from_db()
        assert failed.status == "delivered"
        assert receiver.requests[-1]["headers"]["Newsroom-Delivery"] == str(failed.pk)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.com/hook",
        "http://100.64.0.1/hook",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused(settings, url):
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(webhooks.TargetRefused):
        webhooks.check_target(url)


def test_a_public_address_is_allowed():
    assert webhooks.check_target("https://8.8.8.8/hook")[4] == "8.8.8.8"


@pytest.mark.django_db
def test_the_admin_refuses_a_private_target_with_a_message(client, admin_user, settings):
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/webhooksubscription/add/",
        {"name": "内网", "url": "http://10.1.2.3/hook", "events": ["published"], "secret": "s"},
    )
    assert response.status_code == 200
    assert "API_WEBHOOK_ALLOW_PRIVATE" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db
def test_a_private_target_is_refused_at_delivery_too(settings, editor, committed):
    """Saved while allowed (or pointed there by DNS later): refused when sent."""
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    subscribe("http://127.0.0.1:9/hook")
    with committed():
        make_article(by=editor).publish(by=editor)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "API_WEBHOOK_ALLOW_PRIVATE" in delivery.error


def test_the_signature_covers_time_and_body():
    body = b'{"event":"published"}'
    header = webhooks.signature_header("secret", body, timestamp=1_700_000_000)
    assert webhooks.verify("secret", header, body, now=1_700_000_010)
    assert not webhooks.verify("secret", header, body + b" ", now=1_700_000_010)
    assert not webhooks.verify("other", header, body, now=1_700_000_010)
    assert not webhooks.verify("secret", header, body, now=1_700_000_000 + 3600)  # a replay
    assert not webhooks.verify("secret", "garbage", body)
