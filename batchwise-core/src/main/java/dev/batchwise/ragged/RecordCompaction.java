package dev.batchwise.ragged;

import dev.batchwise.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** {@link RaggedOps#compactRecord}: compaction of the tensor components of a record. */
final class RecordCompaction {
    private RecordCompaction() {}

    @SuppressWarnings("unchecked")
    static <R extends Record> R compact(Tensor mask, R record) {
        if (record == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        RecordComponent[] comps = record.getClass().getRecordComponents();
        List<Object> values = new ArrayList<>(comps.length);
        Class<?>[] types = new Class<?>[comps.length];
        try {
            for (int i = 0; i < comps.length; i++) {
                values.add(comps[i].getAccessor().invoke(record));
                types[i] = comps[i].getType();
            }
            List<Object> compacted = RaggedOps.compactLists(mask, values);
            for (int i = 0; i < comps.length; i++) {
                Object v = compacted.get(i);
                if (v instanceof RaggedBatch && !types[i].isInstance(v)) {
                    throw new IllegalArgumentException("record component " + comps[i].getName()
                            + " holds a tensor but is declared " + types[i].getSimpleName()
                            + "; declare it Object or RaggedBatch to receive the compacted batch");
                }
            }
            Constructor<?> c = record.getClass().getDeclaredConstructor(types);
            c.setAccessible(true);
            return (R) c.newInstance(compacted.toArray());
        } catch (IllegalAccessException | InstantiationException | NoSuchMethodException e) {
            throw new IllegalArgumentException("cannot rebuild record " + record.getClass().getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("record constructor failed", e.getCause());
        }
    }
}
