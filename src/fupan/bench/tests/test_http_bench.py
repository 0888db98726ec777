import pytest

from fupan.bench.http import parse_wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8765/t/1/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.02ms  48.11ms   80.12%
    Req/Sec   165.31     20.12   210.00     70.00%
  Latency Distribution
     50%   11.52ms
     75%   13.40ms
     90%   15.98ms
     99%    1.02s
  3301 requests in 10.01s, 52.31MB read
  Non-2xx or 3xx responses: 2
Requests/sec:    329.77
Transfer/sec:      5.23MB
"""


def test_wrk_figures_are_read_in_milliseconds():
    assert parse_wrk(WRK_OUTPUT) == (329.77, 11.52, 1020.0, 2)


@pytest.mark.django_db
def test_the_bare_bench_view_is_not_served_on_a_normal_site(guest_client):
    # /_bench/bare/ exists only when the server runs with FUPAN_BENCH=1 (`fupan bench http`).
    assert guest_client.get("/_bench/bare/").status_code == 404
