package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The per-plane fields of the Optics mirror: defaults, a file round trip through JNI, errors. */
class OpticsPerPlaneTest {

    /** Three planes that differ from each other and from the common values. */
    private static Optics rig() {
        Optics o = Optics.defaults();
        o.planes = 3;
        o.perPlane = true;
        o.planeW0Nm = new double[] {128.5, 145.25, 150, 0, 0, 0, 0, 0};
        o.planeDNm = new double[] {290.25, 315, 333.125, 0, 0, 0, 0, 0};
        o.planeA = new double[] {0.01, -0.05, 0, 0, 0, 0, 0, 0};
        o.planeB = new double[] {0.2, 0.09, 0, 0, 0, 0, 0, 0};
        o.planeTransmission = new double[] {1, 0.85, 1.3, 0, 0, 0, 0, 0};
        return o;
    }

    @Test
    void defaultsAreTheCommonCurveOnEveryPlane() {
        Optics o = Optics.defaults();
        assertFalse(o.perPlane);
        double[] w0 = new double[Optics.MAX_PLANES];
        Arrays.fill(w0, 133.05);
        assertArrayEquals(w0, o.planeW0Nm);
        double[] ones = new double[Optics.MAX_PLANES];
        Arrays.fill(ones, 1.0);
        assertArrayEquals(ones, o.planeTransmission);
        Optics copy = o.copy();
        assertNotSame(o.planeW0Nm, copy.planeW0Nm);
        assertArrayEquals(o.planeB, copy.planeB);
    }

    @Test
    void perPlaneOpticsRoundTripThroughAFile() throws Exception {
        Path dir = TestFiles.scratch("optics-per-plane");
        Path file = dir.resolve("rig optics.json");
        Optics o = rig();
        o.validate();
        o.save(file.toString());
        assertTrue(new String(Files.readAllBytes(file), "UTF-8").contains("\"plane_psf\""));
        Optics back = Optics.load(file.toString());
        assertTrue(back.perPlane);
        assertEquals(3, back.planes);
        for (int d = 0; d < 3; d++) {
            assertEquals(o.planeW0Nm[d], back.planeW0Nm[d]);
            assertEquals(o.planeDNm[d], back.planeDNm[d]);
            assertEquals(o.planeA[d], back.planeA[d]);
            assertEquals(o.planeB[d], back.planeB[d]);
            assertEquals(o.planeTransmission[d], back.planeTransmission[d]);
        }
        // the papers' optics are written without plane_psf and read back as perPlane false
        Path plain = dir.resolve("plain.json");
        Optics.defaults().save(plain.toString());
        assertFalse(new String(Files.readAllBytes(plain), "UTF-8").contains("plane_psf"));
        assertFalse(Optics.load(plain.toString()).perPlane);
    }

    @Test
    void badPlaneIsNamed() {
        Optics o = rig();
        o.planeTransmission[1] = 0;
        MumlocException e = assertThrows(MumlocException.class, o::validate);
        assertTrue(e.getMessage().contains("plane 2") && e.getMessage().contains("transmission"),
                e.getMessage());
        Optics shortArrays = rig();
        shortArrays.planeW0Nm = new double[2];
        assertThrows(MumlocException.class, shortArrays::validate);
        Optics nullArrays = rig();
        nullArrays.planeB = null;
        assertThrows(MumlocException.class, nullArrays::validate);
        nullArrays.perPlane = false; // the papers' optics do not read the per-plane arrays
        nullArrays.validate();
    }
}
