from django.core.management.base import BaseCommand

from fupan.forum.synchronize import synchronize_all


class Command(BaseCommand):
    help = "Rebuild every denormalised counter (board, thread and member counts) from the rows."

    def handle(self, *args: object, **options: object) -> None:
        result = synchronize_all()
        self.stdout.write(
            self.style.SUCCESS(
                "Counters rebuilt: {threads} threads, {boards} boards, {users} members.".format(
                    **result
                )
            )
        )
