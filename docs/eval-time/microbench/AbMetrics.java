package org.erasediff.eval.metrics;
import java.util.Random;
/** Old and new precision/recall and KID, alternating, on MNIST-sized feature sets. */
public class AbMetrics {
  public static void main(String[] a) {
    Random r = new Random(1);
    double[][] real = new double[9020][128]; double[][] gen = new double[900][128];
    for (double[] row : real) for (int j=0;j<128;j++) row[j]=Math.max(0, r.nextGaussian());
    for (double[] row : gen) for (int j=0;j<128;j++) row[j]=Math.max(0, r.nextGaussian()*1.1);
    KidConfig kc = KidConfig.builder().optSubsetSize(900).optNumSubsets(50).build();
    for (int rep=0; rep<4; rep++) {
      long t0=System.nanoTime();
      OldPrecisionRecall.Reference or = new OldPrecisionRecall.Reference(real, 3);
      PrecisionRecallResult o = OldPrecisionRecall.compute(or, gen);
      long t1=System.nanoTime();
      PrecisionRecall.Reference nr = new PrecisionRecall.Reference(real, 3);
      PrecisionRecallResult n = PrecisionRecall.compute(nr, gen);
      long t2=System.nanoTime();
      KidResult ok = OldKernelInceptionDistance.compute(gen, real, kc);
      long t3=System.nanoTime();
      KidResult nk = KernelInceptionDistance.compute(gen, real, kc);
      long t4=System.nanoTime();
      System.out.printf("pr old %.2f s new %.2f s same=%b | kid old %.2f s new %.2f s diff %.2e%n",(t1-t0)/1e9,(t2-t1)/1e9,o.equals(n),(t3-t2)/1e9,(t4-t3)/1e9, Math.abs(ok.mean()-nk.mean())/nk.mean());
    }
  }
}
