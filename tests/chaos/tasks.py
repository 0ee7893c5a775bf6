"""What sending looks like without the outbox: the email goes straight on the queue at commit."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(name="chaos.send_directly", acks_late=True, reject_on_worker_lost=True)
def send_directly_task(*, email: str) -> None:
    send_mail("Sandbox Portal", "Sent without the outbox.", None, [email])
