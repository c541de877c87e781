package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SimParams.moleculesMin through JNI: default off, validated, recorded, and each frame's count in range. */
class SimParamsCountRangeTest {

    private static SimParams ranged() {
        SimParams p = SimParams.defaults();
        p.width = 12;
        p.height = 12;
        p.frames = 40;
        p.molecules = 6;
        p.moleculesMin = 2;
        return p;
    }

    @Test
    void offByDefault() {
        assertEquals(0, SimParams.defaults().moleculesMin);
        assertEquals(2, ranged().copy().moleculesMin);
    }

    @Test
    void countsStayInTheRangeAndTheRecordHasIt() {
        SimParams p = ranged();
        assertTrue(p.toJson().contains("\"molecules_min\":2"), p.toJson());
        try (Simulator sim = new Simulator(p)) {
            assertEquals(6, sim.maxEmitters());
            assertEquals(2, sim.params().moleculesMin);
            int lowest = Integer.MAX_VALUE, highest = -1;
            for (long f = 0; f < p.frames; f++) {
                int n = sim.truth(f).length;
                lowest = Math.min(lowest, n);
                highest = Math.max(highest, n);
            }
            // 40 frames of 5 equally likely counts: both ends appear (each missed with p < 1e-3)
            assertEquals(2, lowest);
            assertEquals(6, highest);
        }
    }

    @Test
    void outOfRangeIsRefusedNamingTheOption() {
        SimParams p = ranged();
        p.moleculesMin = 7;
        MumlocException e = assertThrows(MumlocException.class, p::validate);
        assertTrue(e.getMessage().contains("molecules-min"), e.getMessage());
    }
}
