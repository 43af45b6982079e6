package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A scenario's own block in results.json, typed: the reports and readers pattern-match on these
 * records, never on string keys. {@code type} names the record in the file.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GpcExtra.class, name = "gpc"),
        @JsonSubTypes.Type(value = ModelExtra.class, name = "model"),
        @JsonSubTypes.Type(value = LatencyExtra.class, name = "latency"),
        @JsonSubTypes.Type(value = PinExtra.class, name = "pin"),
        @JsonSubTypes.Type(value = FairnessExtra.class, name = "fairness"),
        @JsonSubTypes.Type(value = PvclockExtra.class, name = "pvclock"),
        @JsonSubTypes.Type(value = MemslotUpdatesExtra.class, name = "memslot-updates"),
        @JsonSubTypes.Type(value = KickExtra.class, name = "kick"),
        @JsonSubTypes.Type(value = FaultReaderExtra.class, name = "fault-in-reader"),
        @JsonSubTypes.Type(value = PressureExtra.class, name = "pressure"),
})
public sealed interface TestExtra permits GpcExtra, ModelExtra, LatencyExtra, PinExtra, FairnessExtra, PvclockExtra,
        MemslotUpdatesExtra, KickExtra, FaultReaderExtra, PressureExtra {}
