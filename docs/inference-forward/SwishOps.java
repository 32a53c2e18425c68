import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.strict.*;
public class SwishOps {
  public static void main(String[] a){
    INDArray x = Nd4j.randn(DataType.FLOAT, 400, 12544);
    INDArray y = x.dup();
    for(int rep=0;rep<5;rep++){
      long t=System.nanoTime(); Nd4j.exec(new Swish(x, y)); long t2=System.nanoTime(); Nd4j.exec(new Sigmoid(x, y)); long t3=System.nanoTime(); Nd4j.exec(new Tanh(x, y)); long t4=System.nanoTime(); Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Exp(x, y)); long t5=System.nanoTime(); y.muli(x); long t6=System.nanoTime();
      System.out.printf("swish %.1f sigmoid %.1f tanh %.1f exp %.1f mul %.1f ms%n",(t2-t)/1e6,(t3-t2)/1e6,(t4-t3)/1e6,(t5-t4)/1e6,(t6-t5)/1e6);
    }
  }
}
