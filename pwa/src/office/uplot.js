// uPlot and its stylesheet, one lazy chunk: imported only by office/chart.js through import(),
// so the worker app's first load never carries it (bench/pwa_budget.py checks).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
