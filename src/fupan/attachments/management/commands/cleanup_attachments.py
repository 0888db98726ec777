from django.core.management.base import BaseCommand

from fupan.attachments.actions import do_delete_unbound_attachments


class Command(BaseCommand):
    help = "Delete uploads that were never attached to a post (older than a day)."

    def handle(self, *args: object, **options: object) -> None:
        removed = do_delete_unbound_attachments()
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} unused upload(s)."))
