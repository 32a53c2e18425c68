import org.erasediff.samples.ShippedAssets;
import org.erasediff.core.data.*;
import org.erasediff.eval.classifier.*;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;
import java.util.Map;
/** Pooled classification against SameDiff's own output call per chunk, alternating, on the 10,000 MNIST test images. */
public class ClsTime {
  public static void main(String[] a) throws Exception {
    LabelledImages real = ShippedAssets.mnist(Mnist.Split.TEST);
    var sd = ShippedAssets.model(null, ShippedAssets.CLASSIFIER);
    SameDiffClassifier c = MnistClassifierNetwork.wrap(sd);
    int n = real.size();
    INDArray images = Nd4j.create(DataType.FLOAT, n, 1, 28, 28);
    real.copyScaled(java.util.stream.IntStream.range(0,n).toArray(), images, null);
    for (int rep=0; rep<6; rep++) {
      long t0=System.nanoTime();
      INDArray f1 = c.classify(images).features();
      long t1=System.nanoTime();
      INDArray f2 = null;
      for (long s=0;s<n;s+=500){ long e=Math.min(n,s+500);
        Map<String,INDArray> out = sd.output(Map.of(MnistClassifierNetwork.IMAGE, images.get(NDArrayIndex.interval(s,e)).castTo(DataType.FLOAT)), MnistClassifierNetwork.PROBABILITIES, MnistClassifierNetwork.FEATURES);
        INDArray f = out.get(MnistClassifierNetwork.FEATURES).reshape(e-s,-1);
        if (f2==null) f2=Nd4j.create(DataType.FLOAT,n,f.size(1));
        f2.get(NDArrayIndex.interval(s,e),NDArrayIndex.all()).assign(f);
      }
      long t2=System.nanoTime();
      System.out.printf("pooled %.2f s, fresh %.2f s, max diff %g%n",(t1-t0)/1e9,(t2-t1)/1e9, f1.sub(f2).amaxNumber().doubleValue());
    }
  }
}
