from django.core.management.base import BaseCommand

from fupan.pm.actions import synchronize_messages


class Command(BaseCommand):
    help = "Rebuild the private message counters (message counts and members' unread badges)."

    def handle(self, *args: object, **options: object) -> None:
        result = synchronize_messages()
        self.stdout.write(
            self.style.SUCCESS(
                "Counters rebuilt: {members} memberships, {conversations} conversations, "
                "{users} members.".format(**result)
            )
        )
