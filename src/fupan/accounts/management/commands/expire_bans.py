from django.core.management.base import BaseCommand

from fupan.accounts.bans import expire_bans


class Command(BaseCommand):
    help = "Lift every ban whose time is up (they also end by themselves when the member is seen)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(self.style.SUCCESS(f"Lifted {expire_bans()} expired ban(s)."))
