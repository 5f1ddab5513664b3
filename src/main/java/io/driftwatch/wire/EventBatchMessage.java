package io.driftwatch.wire;

import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;

/**
 * A batch of events of one outbox stream, each already written as an {@link EventMessage} (the outbox keeps them as
 * text); the hub reads each element as an {@link EventMessage}.
 */
public record EventBatchMessage(String stream, List<RawValue> events) {}
