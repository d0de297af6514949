"""The web proxy forwards a shared position to about 1 km only, whatever the client sent (fake Rasa)."""

from __future__ import annotations

import json

from tests.web.test_proxy import post, run


def test_a_precise_position_reaches_rasa_rounded_to_two_decimals():
    async def test(client, seen):
        for message in (
            '/share_position{"latitude": 48.692123, "longitude": 6.184431}',
            '/share_position{"latitude": 48.69, "longitude": 6.18}',  # what the page sends
        ):
            response = await post(client, message)
            assert response.status == 200
            assert "48.692" not in json.dumps(await response.json())  # the echo carries what Rasa got

    seen = run(test)
    assert [s["message"] for s in seen] == ['/share_position{"latitude": 48.69, "longitude": 6.18}'] * 2

