// The popup's callback page: hands the fragment back to the app window that opened it.
import { handOverPopupCallback } from '@grantkit/smithcart';

handOverPopupCallback();
