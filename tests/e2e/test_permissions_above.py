"""The permission matrix (tests/e2e/permission_matrix.py) for the callers with rights above
the organisation: the 书记 of the organisation above and a superadmin. The plain member and the
other organisation's admin are tried in test_permissions.py, in another worker.
"""

from __future__ import annotations

import pytest

from tests.e2e.permission_cases import Case
from tests.e2e.permission_matrix import check_permission, matrix, world
from tests.e2e.permission_world import Caller, World

pytestmark = pytest.mark.asyncio(loop_scope="module")

__all__ = ["world"]  # the module's fixture


@pytest.mark.parametrize(("case", "caller"), matrix((Caller.PARENT, Caller.SUPERADMIN)))
async def test_permission(world: World, case: Case | None, caller: Caller) -> None:
    await check_permission(world, case, caller)
