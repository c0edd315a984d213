"""The public register API: ``GET /api/v1/register[/{id}]`` without authentication; writes for administrators."""

from ninja import Router

router = Router(tags=["register"])
