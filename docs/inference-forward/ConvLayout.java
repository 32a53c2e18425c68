import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
public class ConvLayout {
  static double time(INDArray x, INDArray w, INDArray b, INDArray o, Conv2DConfig c) {
    for (int i=0;i<2;i++) Nd4j.exec(new Conv2D(new INDArray[]{x,w,b}, new INDArray[]{o}, c));
    long t=System.nanoTime(); int r=5;
    for (int i=0;i<r;i++) Nd4j.exec(new Conv2D(new INDArray[]{x,w,b}, new INDArray[]{o}, c));
    return (System.nanoTime()-t)/1e6/r;
  }
  public static void main(String[] a) {
    int B=400;
    // cin, cout, res, k, stride
    int[][] L = {{1,16,28,3,1},{16,16,28,3,1},{16,16,28,3,2},{16,32,14,3,1},{32,32,14,3,1},{16,32,14,1,1},{32,32,14,3,2},{32,64,7,3,1},{64,64,7,3,1},{96,32,14,3,1},{48,16,28,3,1},{16,1,28,3,1}};
    double tn=0, th=0;
    for (int[] l : L) {
      int ci=l[0], co=l[1], r=l[2], k=l[3], s=l[4]; int ro = s==1? r : (r+1)/2;
      INDArray w = Nd4j.randn(DataType.FLOAT, k,k,ci,co), b = Nd4j.randn(DataType.FLOAT, co);
      Conv2DConfig cn = Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s).pH(k/2).pW(k/2).dataFormat("NCHW").build();
      Conv2DConfig ch = Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s).pH(k/2).pW(k/2).dataFormat("NHWC").build();
      INDArray xn = Nd4j.randn(DataType.FLOAT, B, ci, r, r), on = Nd4j.create(DataType.FLOAT, B, co, ro, ro);
      INDArray xh = xn.permute(0,2,3,1).dup('c'), oh = Nd4j.create(DataType.FLOAT, B, ro, ro, co);
      double a1 = time(xn,w,b,on,cn), a2 = time(xh,w,b,oh,ch);
      Nd4j.exec(new Conv2D(new INDArray[]{xn,w,b}, new INDArray[]{on}, cn));
      Nd4j.exec(new Conv2D(new INDArray[]{xh,w,b}, new INDArray[]{oh}, ch));
      double d = on.permute(0,2,3,1).sub(oh).amaxNumber().doubleValue();
      tn+=a1; th+=a2;
      System.out.printf("%d->%d @%d k%d s%d  NCHW %.1f  NHWC %.1f ms  diff %.2e%n", ci,co,r,k,s,a1,a2,d);
    }
    System.out.printf("sum NCHW %.1f NHWC %.1f%n", tn, th);
  }
}
