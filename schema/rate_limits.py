"""Rate limits by operation class: which root fields are sign-ins, sign-ups, password resets and checkout
writes, counted once a document is known to be valid and before anything of it runs.

Every refusal, whether of the whole request (`per_ip`, `per_token`, in `server.py`) or of an operation class
(here), is the same answer: HTTP 429 with `Retry-After`, and a body with one GraphQL error whose
`extensions` are `{code: "RATE_LIMITED", limit, retryAfter}`. Nothing of a refused document runs, so a client
never has to work out which of its fields went through; a 429 is what HTTP clients, proxies and monitoring
already understand. Each field of a class counts, so 30 aliased `tokenCreate`s cost 30 sign-ins; fields that
share a response key are merged by GraphQL and run once, so they count once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from core.ratelimits import Exceeded, LimitClass, RateLimits

CODE = "RATE_LIMITED"
MUTATION_CLASSES: dict[str, LimitClass] = {
    "tokenCreate": LimitClass.LOGIN,
    "accountRegister": LimitClass.REGISTRATION,
    "brandApply": LimitClass.REGISTRATION,
    "supplierApply": LimitClass.REGISTRATION,
    "tailorApply": LimitClass.REGISTRATION,
    "passwordResetRequest": LimitClass.PASSWORD_RESET,
    "passwordReset": LimitClass.PASSWORD_RESET,
}
# Counted per client address whoever asks: these are what an attacker without an account repeats.
ANONYMOUS_CLASSES = frozenset({LimitClass.LOGIN, LimitClass.REGISTRATION, LimitClass.PASSWORD_RESET})


def mutation_class(field_name: str) -> LimitClass | None:
    if field_name.startswith("checkout"):
        return LimitClass.CHECKOUT_WRITE
    return MUTATION_CLASSES.get(field_name)


def error_body(exceeded: Exceeded) -> dict[str, Any]:
    """The JSON of a refusal; `server.py` sends the same for request-wide limits."""
    return {"errors": [rate_limited_error(exceeded).formatted]}


def rate_limited_error(exceeded: Exceeded) -> GraphQLError:
    return GraphQLError(
        exceeded.message,
        extensions={"code": CODE, "limit": exceeded.limit.value, "retryAfter": exceeded.retry_after},
    )


def classes_used(document: DocumentNode, operation_name: str | None) -> Counter[LimitClass]:
    """How many fields of each class the operation to run asks for (a query counts once, as `query`)."""
    operation = chosen_operation(document, operation_name)
    if operation is None:
        return Counter()
    if operation.operation == OperationType.QUERY:
        return Counter({LimitClass.QUERY: 1})
    if operation.operation != OperationType.MUTATION:
        return Counter()
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    keys = {key: name for key, name in root_fields(operation.selection_set, fragments, set())}
    return Counter(c for name in keys.values() if (c := mutation_class(name)) is not None)


def chosen_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> Iterator[tuple[str, str]]:
    """(response key, field name) of each root field, through fragments; each fragment is entered once."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield (selection.alias or selection.name).value, selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            if fragment := fragments.get(selection.name.value):
                yield from root_fields(fragment.selection_set, fragments, seen)


class RateLimitExtension(SchemaExtension):
    """Counts the operation's classes for the asking client; over a limit, the result is the refusal and the
    HTTP answer a 429 (the context's response carries the status and `Retry-After`)."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        limits: RateLimits | None = getattr(context, "rate_limits", None)
        document = self.execution_context.graphql_document
        if limits is not None and limits.enabled and document is not None:
            used = classes_used(document, self.execution_context.operation_name)
            if used:
                exceeded = await limits.hit_all({c: (_client_key(context, c), n) for c, n in used.items()})
                if exceeded is not None:
                    refuse(context, exceeded)
                    self.execution_context.result = ExecutionResult(None, [rate_limited_error(exceeded)])
        yield


def _client_key(context: Any, limit: LimitClass) -> str:
    if limit in ANONYMOUS_CLASSES:
        return context.rate_limit_address_key
    return context.rate_limit_client_key


def refuse(context: Any, exceeded: Exceeded) -> None:
    response = getattr(context, "response", None)
    if response is not None:
        response.status_code = 429
        response.headers["Retry-After"] = str(exceeded.retry_after)
