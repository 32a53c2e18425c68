import jdk.incubator.vector.*;
public class VectorSiluSpeed {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static void silu(float[] x, float[] y, int n) {
    int i = 0; int up = S.loopBound(n);
    for (; i < up; i += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector e = v.neg().lanewise(VectorOperators.EXP);
      v.div(e.add(1f)).intoArray(y, i);
    }
    for (; i < n; i++) { float v = x[i]; y[i] = (float) (v / (1.0 + Math.exp(-v))); }
  }
  public static void main(String[] a) {
    int n = 1<<13; float[] x=new float[n], y=new float[n], y2=new float[n];
    java.util.Random r=new java.util.Random(1); for(int i=0;i<n;i++) x[i]=(float)(r.nextGaussian()*4);
    x[0]=-200; x[1]=200; x[2]=0; x[3]=-87; x[4]=88;
    for (int rep=0; rep<6; rep++){
      long t=System.nanoTime(); for(int k=0;k<2000;k++) silu(x,y2,n); long t2=System.nanoTime();
      System.out.printf("vector %.3f ns/el  species %d%n", (t2-t)/2000.0/n, S.length());
    }
    for (int i=0;i<n;i++) y[i]=(float)(x[i]/(1.0+Math.exp(-x[i])));
    double maxabs=0; for(int i=0;i<n;i++){ maxabs=Math.max(maxabs,Math.abs(y[i]-y2[i]));} System.out.println("maxabs "+maxabs+" "+y2[0]+" "+y2[1]);
  }
}
