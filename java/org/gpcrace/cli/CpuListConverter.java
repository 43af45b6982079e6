package org.gpcrace.cli;

import java.util.List;
import org.gpcrace.sys.CpuList;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --cpus LIST for every command: "0-3,5", each CPU one this process may run on, none twice. */
public final class CpuListConverter implements ITypeConverter<CpuListConverter.Cpus> {
    /** The CPUs given, in the order given. */
    public record Cpus(List<Integer> list) {}

    @Override public Cpus convert(String value) {
        try {
            return new Cpus(CpuList.allowedSubset("--cpus", value));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
